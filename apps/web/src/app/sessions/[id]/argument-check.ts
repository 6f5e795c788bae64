import type { AgentName, JsonValue } from '@baton/domain';
import { checkPermission, isClientTool, toolSchemas } from '@baton/domain';
import { z } from 'zod';

/** Edited tool arguments, checked: the value to send, or every problem in words. */
export type EditCheck =
  | { readonly ok: true; readonly value: JsonValue }
  | { readonly ok: false; readonly problems: readonly string[] };

/** A field a tool takes, for the editor's hint. */
export interface ToolField {
  readonly name: string;
  readonly type: string;
  readonly required: boolean;
}

/** One schema problem in words an operator can act on. */
function describeIssue(tool: string, issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? issue.path.join('.') : 'The arguments';
  if (issue.code === 'unrecognized_keys') {
    const known = toolFields(tool).map((field) => field.name);
    const keys = issue.keys.map((key) => `"${key}"`).join(', ');
    return `${where}: unknown field ${keys}; ${tool} takes ${known.join(', ')}.`;
  }
  if (issue.code === 'invalid_type' && / received undefined$/.test(issue.message)) {
    return `${where}: required (${issue.expected}), but missing.`;
  }
  return `${where}: ${issue.message}`;
}

/**
 * Checks arguments typed into the approval editor the way the runtime will when they are sent
 * (`approvals.decide` with `edit`): JSON, then the tool's schema from the domain, then the agent's
 * permissions (an architect writes only `*.md`). The same code runs on both sides, so an edit
 * the page accepts is one the runtime accepts.
 */
export function checkEditedArguments(tool: string, agent: AgentName, text: string): EditCheck {
  let value: JsonValue;
  try {
    value = JSON.parse(text) as JsonValue;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, problems: [`This is not valid JSON: ${reason}`] };
  }
  if (!isClientTool(tool)) {
    return {
      ok: false,
      problems: [`${tool} is not a client tool; its arguments can't be edited.`],
    };
  }
  const parsed = toolSchemas[tool].safeParse(value);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((issue) => describeIssue(tool, issue)) };
  }
  // PostgreSQL cannot store NUL; the runtime refuses it at its edge.
  if (JSON.stringify(value).includes('\\u0000')) {
    return { ok: false, problems: ['The arguments must not contain NUL characters (\\u0000).'] };
  }
  const denied = checkPermission(agent, tool, value);
  return denied ? { ok: false, problems: [denied] } : { ok: true, value };
}

/** The fields `tool` takes, from its JSON schema; empty for an unknown tool. */
export function toolFields(tool: string): readonly ToolField[] {
  if (!isClientTool(tool)) return [];
  const schema = z.toJSONSchema(toolSchemas[tool], { io: 'input' }) as {
    properties?: Record<string, { type?: string }>;
    required?: string[];
  };
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    type: property.type ?? 'any',
    required: required.has(name),
  }));
}
