import { z } from 'zod';
import type { AgentName } from './agents';
import { matchesGlob } from './glob';

/** One rule of an approval policy: globs on tool name and (optionally) agent. */
export interface ApprovalRule {
  readonly tool: string;
  readonly agent?: string;
  readonly approval: 'required' | 'never';
}

/** An ordered list of rules; the first that matches a call decides. */
export interface ApprovalPolicy {
  readonly rules: readonly ApprovalRule[];
}

/** SPEC §3.4: writes, deletes, moves, new folders and commands need a human; reads do not. */
export const DEFAULT_APPROVAL_RULES: readonly ApprovalRule[] = [
  { tool: 'write_file', approval: 'required' },
  { tool: 'delete_file', approval: 'required' },
  { tool: 'move_file', approval: 'required' },
  { tool: 'create_directory', approval: 'required' },
  { tool: 'execute_command', approval: 'required' },
  { tool: '*', approval: 'never' },
];

/** The policy used when none is configured. */
export const defaultApprovalPolicy: ApprovalPolicy = { rules: DEFAULT_APPROVAL_RULES };

const policyFileSchema = z.strictObject({
  rules: z.array(
    z.strictObject({
      tool: z.string().min(1),
      agent: z.string().min(1).optional(),
      approval: z.enum(['required', 'never']),
    }),
  ),
  extendDefaults: z.boolean().default(true),
});

/**
 * Reads a policy from a JSON object (a file's or an env var's content):
 * `{ "rules": [{ "tool": "execute_command", "agent": "debug", "approval": "never" }] }`.
 * Its rules come first; the defaults follow unless `"extendDefaults": false`.
 */
export function parseApprovalPolicy(
  json: unknown,
): { ok: true; policy: ApprovalPolicy } | { ok: false; message: string } {
  const parsed = policyFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(policy)'}: ${issue.message}`,
    );
    return { ok: false, message: `Invalid approval policy: ${problems.join('; ')}` };
  }
  const rules: ApprovalRule[] = parsed.data.rules.map((rule) =>
    rule.agent === undefined
      ? { tool: rule.tool, approval: rule.approval }
      : { tool: rule.tool, agent: rule.agent, approval: rule.approval },
  );
  return {
    ok: true,
    policy: { rules: parsed.data.extendDefaults ? [...rules, ...DEFAULT_APPROVAL_RULES] : rules },
  };
}

/** Whether a call of `tool` by `agent` waits for a human before it is dispatched. */
export function needsApproval(policy: ApprovalPolicy, agent: AgentName, tool: string): boolean {
  const rule = policy.rules.find(
    (candidate) =>
      matchesGlob(candidate.tool, tool) &&
      (candidate.agent === undefined || matchesGlob(candidate.agent, agent)),
  );
  return rule?.approval === 'required';
}
