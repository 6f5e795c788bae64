import fc from 'fast-check';
import { AgentName } from '../agents';
import type { DomainConfig } from '../context';
import type { SessionInput } from '../inputs';
import type { JsonValue } from '../json';
import type { ToolOutcome } from '../records';
import { nth, stepOutput } from './step-outputs';
import type { World } from './world';

/**
 * Random sessions for the property tests. An action is abstract (a kind and two numbers); it is
 * turned into a concrete input against the session as it stands, so every generated sequence is
 * meaningful and fast-check can still shrink it by dropping actions.
 */
export interface Action {
  readonly kind: ActionKind;
  readonly pick: number;
  readonly variant: number;
}

const ACTION_WEIGHTS = {
  user_message: 3,
  model_step: 8,
  stale_step: 1,
  model_failed: 1,
  tool_result: 8,
  unknown_result: 1,
  approval: 4,
  expire: 1,
  plan_decision: 3,
  cancel_plan: 1,
  cancel_run: 1,
  retry: 2,
  lease_expired: 1,
} as const;

export type ActionKind = keyof typeof ACTION_WEIGHTS;

/** One action, weighted so that sessions get deep (plans, parallel calls, approvals). */
export const actionArb: fc.Arbitrary<Action> = fc.oneof(
  ...Object.entries(ACTION_WEIGHTS).map(([kind, weight]) => ({
    weight,
    arbitrary: fc.record({
      kind: fc.constant(kind as ActionKind),
      pick: fc.nat({ max: 50 }),
      variant: fc.nat({ max: 50 }),
    }),
  })),
);

/** Configurations worth exploring: approval modes, small step limits, approval timeouts. */
export const configArb: fc.Arbitrary<Partial<DomainConfig>> = fc.record({
  planApproval: fc.constantFrom('required' as const, 'auto' as const),
  maxSubtaskSteps: fc.integer({ min: 2, max: 8 }),
  maxRunSteps: fc.integer({ min: 3, max: 12 }),
  approvalTimeoutMs: fc.constantFrom(null, 60_000),
});

/** A random session: a configuration and up to 60 actions. */
export const sessionArb = fc.record({
  config: configArb,
  actions: fc.array(actionArb, { minLength: 1, maxLength: 80, size: 'max' }),
});

const AGENTS = Object.values(AgentName);

/** The result a well-behaved client would send for a call (the same every time: duplicates). */
export function canonicalOutcome(callId: string): ToolOutcome {
  return { type: 'result', value: { output: `result of ${callId}`, lines: [1, 2, 3] } };
}

/**
 * Turns an abstract action into an input for the session as it stands. An action that cannot
 * apply becomes the input the session naturally waits for, so sessions get deep.
 */
export function toInput(world: World, action: Action): SessionInput {
  return chosenInput(world, action) ?? naturalInput(world, action);
}

/** The input a session in its current state waits for (a user, a model, a client or a human). */
function naturalInput(world: World, { pick, variant }: Action): SessionInput {
  const state = world.state;
  const run = state.session.run;
  switch (run.status) {
    case 'idle':
      return { type: 'user_message', text: `please ${pick}` };
    case 'model_step':
      return {
        type: 'model_step_completed',
        stepId: run.stepId,
        fence: run.fence,
        ...stepOutput(pick, variant),
      };
    case 'awaiting_plan_decision':
      return {
        type: 'plan_decision',
        planId: run.planId,
        decision: variant % 6 === 0 ? 'revise' : 'approve',
        by: 'tester',
      };
    case 'awaiting_approval':
    case 'awaiting_tools': {
      const open = Object.values(state.calls).filter(
        (c) =>
          c.stepId === run.stepId &&
          (c.status === 'dispatched' || c.status === 'awaiting_approval'),
      );
      const call = nth(open, pick);
      if (call?.status === 'awaiting_approval' && call.approvalId) {
        return {
          type: 'approval_decision',
          approvalId: call.approvalId,
          decision: variant % 5 === 0 ? 'reject' : 'approve',
          by: 'tester',
        };
      }
      return {
        type: 'tool_result',
        callId: call?.id ?? 'none',
        outcome: canonicalOutcome(call?.id ?? 'none'),
      };
    }
  }
}

function chosenInput(world: World, action: Action): SessionInput | null {
  const { pick, variant } = action;
  const state = world.state;
  const run = state.session.run;
  const calls = Object.values(state.calls);
  const approvals = Object.values(state.approvals);
  const plans = Object.values(state.plans);
  switch (action.kind) {
    case 'user_message':
      return variant % 4 === 0
        ? { type: 'user_message', text: `please ${pick}`, agent: nth(AGENTS, pick) as AgentName }
        : { type: 'user_message', text: `please ${pick}` };
    case 'model_step': {
      if (run.status !== 'model_step') return null;
      return {
        type: 'model_step_completed',
        stepId: run.stepId,
        fence: run.fence,
        ...stepOutput(pick, variant),
      };
    }
    case 'stale_step': {
      const staleStep = nth(calls, pick)?.stepId ?? 'step-never';
      return variant % 2 === 0 && run.status === 'model_step'
        ? {
            type: 'model_step_completed',
            stepId: run.stepId,
            fence: run.fence - 1,
            text: 'late',
            toolCalls: [],
          }
        : {
            type: 'model_step_completed',
            stepId: staleStep,
            fence: 1,
            ...stepOutput(pick, variant),
          };
    }
    case 'model_failed':
      if (run.status !== 'model_step') return null;
      return {
        type: 'model_step_failed',
        stepId: run.stepId,
        fence: run.fence,
        error: '503 after retries',
      };
    case 'tool_result': {
      // Prefer open calls, but also hit resolved and cancelled ones (duplicates, conflicts, late).
      const open = calls.filter((c) => c.status === 'dispatched');
      const call = variant % 3 !== 0 && open.length > 0 ? nth(open, pick) : nth(calls, pick);
      if (!call) return null;
      const outcome: ToolOutcome =
        variant % 7 === 5
          ? { type: 'result', value: `something else ${variant}` }
          : variant % 7 === 6
            ? { type: 'error', message: 'ENOENT' }
            : canonicalOutcome(call.id);
      return { type: 'tool_result', callId: call.id, outcome };
    }
    case 'unknown_result':
      return {
        type: 'tool_result',
        callId: `call-unknown-${pick}`,
        outcome: canonicalOutcome('x'),
      };
    case 'approval': {
      const pending = approvals.filter((a) => a.status === 'pending' && a.kind === 'tool');
      const approval =
        variant % 4 !== 0 && pending.length > 0 ? nth(pending, pick) : nth(approvals, pick);
      if (!approval) return null;
      const decision = (['approve', 'reject', 'edit', 'edit'] as const)[variant % 4] ?? 'approve';
      const call = approval.callId ? state.calls[approval.callId] : undefined;
      const edited: JsonValue | undefined =
        decision !== 'edit'
          ? undefined
          : variant % 8 === 3
            ? { nonsense: true }
            : call?.name === 'execute_command'
              ? { command: 'npm run lint' }
              : { path: 'edited.md', content: 'edited' };
      return {
        type: 'approval_decision',
        approvalId: approval.id,
        decision,
        by: 'tester',
        ...(edited !== undefined ? { arguments: edited } : {}),
        ...(decision === 'reject' ? { feedback: 'not like this' } : {}),
      };
    }
    case 'expire': {
      const approval = nth(
        approvals.filter((a) => a.status === 'pending' && a.expiresAt !== null),
        pick,
      );
      if (!approval?.expiresAt) return null;
      world.now = Math.max(world.now, Date.parse(approval.expiresAt));
      return { type: 'approval_expired', approvalId: approval.id };
    }
    case 'plan_decision': {
      const waiting = plans.filter((p) => p.status === 'awaiting_approval');
      const plan = variant % 5 !== 0 && waiting.length > 0 ? nth(waiting, pick) : nth(plans, pick);
      if (!plan) return null;
      const decision =
        (['approve', 'approve', 'reject', 'revise'] as const)[variant % 4] ?? 'approve';
      return {
        type: 'plan_decision',
        planId: plan.id,
        decision,
        by: 'tester',
        feedback: 'smaller steps',
      };
    }
    case 'cancel_plan': {
      const plan = nth(plans, pick);
      return plan
        ? { type: 'cancel_plan', planId: plan.id, reason: 'changed my mind', by: 'tester' }
        : null;
    }
    case 'cancel_run':
      return { type: 'cancel_run', reason: 'stop', by: 'tester' };
    case 'retry': {
      const failed = plans.filter((p) => p.status === 'failed');
      const plan = failed.length > 0 && variant % 3 !== 0 ? nth(failed, pick) : nth(plans, pick);
      if (!plan) return null;
      const subtask =
        plan.subtasks.find((s) => s.status === 'failed') ?? nth(plan.subtasks, variant);
      return subtask
        ? { type: 'retry_subtask', planId: plan.id, subtaskId: subtask.id, by: 'tester' }
        : null;
    }
    case 'lease_expired':
      if (run.status !== 'model_step') return null;
      return {
        type: 'lease_expired',
        stepId: run.stepId,
        fence: variant % 5 === 0 ? run.fence + 7 : run.fence,
      };
  }
}
