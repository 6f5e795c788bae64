import type { AgentName } from './agents';
import { checkPermission, isAgentName } from './agents';
import type { Draft } from './draft';
import { dispatchCall, resolveCall } from './flow';
import type { StepToolCall } from './inputs';
import type { JsonValue } from './json';
import type { PlannedSubtask } from './plan';
import { validatePlan } from './plan';
import { needsApproval } from './policy';
import type { Owner, ToolCall } from './records';
import { isClientTool, isRuntimeTool, SOLO_TOOLS, validateToolArguments } from './tools';

/** What a step's runtime tools ask of the run once all its calls are admitted. */
export type StepEnding =
  | { readonly kind: 'continue' }
  | { readonly kind: 'complete'; readonly result: string }
  | { readonly kind: 'question'; readonly question: string }
  | {
      readonly kind: 'plan';
      readonly call: ToolCall;
      readonly goal: string;
      readonly subtasks: PlannedSubtask[];
    };

interface StepInfo {
  readonly runId: string;
  readonly stepId: string;
  readonly owner: Owner;
  readonly agent: AgentName;
}

/**
 * Records every call of a finished model step and decides its fate before anything reaches the
 * client: unknown tools, calls outside the agent's permissions and invalid arguments are answered
 * to the agent as tool errors; runtime tools are carried out here; client tools are dispatched,
 * or held for approval when the policy says so. Returns what the runtime tools ask for next.
 */
export function admitStepCalls(
  d: Draft,
  step: StepInfo,
  requested: readonly { callId: string; call: StepToolCall }[],
): StepEnding {
  let ending: StepEnding = { kind: 'continue' };
  const alone = requested.length === 1;
  for (const [index, { callId, call: requestedCall }] of requested.entries()) {
    const call: ToolCall = {
      id: callId,
      sessionId: d.session.id,
      runId: step.runId,
      stepId: step.stepId,
      index,
      owner: step.owner,
      agent: step.agent,
      name: requestedCall.name,
      arguments: requestedCall.arguments,
      dispatchedArguments: null,
      status: 'dispatched',
      outcome: null,
      resolvedBy: null,
      resolution: null,
      approvalId: null,
      createdAt: d.at,
      dispatchedAt: null,
      resolvedAt: null,
    };
    d.putCall(call);
    const fail = (message: string): void => {
      resolveCall(d, call, { type: 'error', message }, 'runtime');
    };
    const ok = (value: JsonValue): void => {
      resolveCall(d, call, { type: 'result', value }, 'runtime');
    };

    if (!isClientTool(call.name) && !isRuntimeTool(call.name)) {
      fail(`Unknown tool "${call.name}".`);
      continue;
    }
    const denied = checkPermission(step.agent, call.name, call.arguments);
    if (denied) {
      fail(denied);
      continue;
    }
    const args = validateToolArguments(call.name, call.arguments);
    if (!args.ok) {
      fail(args.message);
      continue;
    }
    if (isClientTool(call.name)) {
      if (needsApproval(d.ctx.config.approvalPolicy, step.agent, call.name)) {
        holdForApproval(d, call);
      } else {
        dispatchCall(d, call);
      }
      continue;
    }
    if (SOLO_TOOLS.includes(call.name) && !alone) {
      fail(
        `${call.name} must be the only tool call of its step. Call it again once the other calls have their results.`,
      );
      continue;
    }
    const value = args.value as Record<string, unknown>;
    switch (call.name) {
      case 'switch_agent': {
        const to = value['agent'] as string;
        if (!isAgentName(to)) {
          fail(`Unknown agent "${to}".`);
        } else if (step.owner.kind !== 'session') {
          fail('switch_agent is not available inside a plan subtask.');
        } else if (to === d.session.agent) {
          ok(`You already are the ${to} agent; nothing was switched.`);
        } else {
          const from = d.session.agent;
          d.updateSession({ agent: to });
          d.emit('agent.switched', {
            from,
            to,
            reason: (value['reason'] as string | undefined) ?? 'switch_agent',
          });
          ok(`Switched to the ${to} agent; it continues this request.`);
        }
        break;
      }
      case 'attempt_completion':
        ok('Completion recorded.');
        ending = { kind: 'complete', result: value['result'] as string };
        break;
      case 'ask_followup_question':
        if (step.owner.kind !== 'session') {
          fail(
            'ask_followup_question is not available inside a plan subtask: make a reasonable assumption, state it in your result, and go on.',
          );
        } else {
          ok('The question was shown to the user; their answer comes as the next user message.');
          ending = { kind: 'question', question: value['question'] as string };
        }
        break;
      case 'create_plan': {
        const checked = validatePlan(args.value as Parameters<typeof validatePlan>[0]);
        if (!checked.ok) fail(checked.message);
        else if (d.session.activePlanId !== null) fail('The session already has an active plan.');
        else
          ending = {
            kind: 'plan',
            call,
            goal: value['goal'] as string,
            subtasks: checked.subtasks,
          };
        break;
      }
    }
  }
  return ending;
}

/** Holds a client call until a human decides: an approval is requested; nothing is dispatched. */
function holdForApproval(d: Draft, call: ToolCall): void {
  const timeout = d.ctx.config.approvalTimeoutMs;
  const expiresAt = timeout === null ? null : new Date(d.ctx.now + timeout).toISOString();
  const approvalId = d.id('approval');
  d.putApproval({
    id: approvalId,
    sessionId: d.session.id,
    kind: 'tool',
    callId: call.id,
    planId: null,
    status: 'pending',
    answer: null,
    feedback: null,
    editedArguments: null,
    decidedBy: null,
    requestedAt: d.at,
    expiresAt,
    decidedAt: null,
  });
  d.putCall({ ...call, status: 'awaiting_approval', approvalId });
  d.emit('approval.requested', {
    approvalId,
    kind: 'tool',
    callId: call.id,
    name: call.name,
    arguments: call.arguments,
    agent: call.agent,
    ...(expiresAt ? { expiresAt } : {}),
  });
}
