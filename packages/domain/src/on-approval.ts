import { checkPermission } from './agents';
import type { Draft } from './draft';
import { refuse } from './draft';
import { settleStep } from './coordinator';
import { dispatchCall, resolveCall } from './flow';
import type { SessionInput } from './inputs';
import { jsonEqual } from './json';
import type { JsonValue } from './json';
import { onPlanDecision } from './on-plan';
import type { TransitionResult } from './outcome';
import type { Approval, ToolCall } from './records';
import type { ApprovalStatus } from './status';
import { isClientTool, validateToolArguments } from './tools';
import { summarizePayload } from './payload-summary';

type ApprovalInput = Extract<SessionInput, { type: 'approval_decision' }>;

const STATUS_OF: Record<'approve' | 'reject' | 'edit', ApprovalStatus> = {
  approve: 'approved',
  reject: 'rejected',
  edit: 'edited',
};

/** Whether `input` repeats the decision already recorded on `approval`. */
function repeats(approval: Approval, input: ApprovalInput): boolean {
  if (approval.answer !== input.decision) return false;
  if (input.decision === 'edit') {
    return (
      input.arguments !== undefined &&
      approval.editedArguments !== null &&
      jsonEqual(approval.editedArguments, input.arguments)
    );
  }
  // Approving (or rejecting) again is the same decision, whatever the feedback says.
  return true;
}

function about(call: ToolCall | undefined): {
  callId?: string;
  planId?: string;
  subtaskId?: string;
  agent?: ToolCall['agent'];
} {
  if (!call) return {};
  return {
    callId: call.id,
    agent: call.agent,
    ...(call.owner.kind === 'subtask'
      ? { planId: call.owner.planId, subtaskId: call.owner.subtaskId }
      : {}),
  };
}

function emitDecided(d: Draft, approval: Approval): void {
  d.emit('approval.decided', {
    approvalId: approval.id,
    kind: approval.kind,
    status: approval.status,
    ...(approval.callId ? { callId: approval.callId } : {}),
    ...(approval.planId ? { planId: approval.planId } : {}),
    ...(approval.feedback ? { feedback: approval.feedback } : {}),
  });
}

/** The outcome handed to the agent whose call a human rejected (or that expired). */
function rejectionOutcome(
  feedback: string | null,
  expired: boolean,
): { type: 'error'; message: string } {
  if (expired)
    return {
      type: 'error',
      message: 'The tool call was not run: its approval expired with no decision.',
    };
  return {
    type: 'error',
    message: `The user rejected this tool call; it was not run.${feedback ? ` Their feedback: ${feedback}` : ''}`,
  };
}

/**
 * A human decided a tool approval. The first decision wins: the same decision again is a no-op
 * with the same outcome, a different one is a conflict. Approve dispatches the call; edit
 * validates the new arguments (schema and the agent's permissions), stores them and dispatches
 * them; reject answers the agent without dispatching anything.
 */
export function onApprovalDecision(d: Draft, input: ApprovalInput): TransitionResult {
  const approval = d.approvals[input.approvalId];
  if (!approval) return refuse(d, 'NOT_FOUND', `No approval ${input.approvalId} in this session.`);
  if (approval.kind === 'plan') {
    if (input.decision === 'edit') {
      return refuse(
        d,
        'BAD_REQUEST',
        'decision: a plan approval takes approve or reject (or revise through plans.decide), not edit.',
      );
    }
    return onPlanDecision(d, {
      type: 'plan_decision',
      planId: approval.planId as string,
      decision: input.decision,
      by: input.by,
      ...(input.feedback !== undefined ? { feedback: input.feedback } : {}),
    });
  }
  const call = approval.callId ? d.calls[approval.callId] : undefined;
  const record = {
    type: input.type,
    approvalId: input.approvalId,
    decision: input.decision,
    // The approval stores accepted arguments; the decision keeps their summary (refused ones too).
    arguments:
      input.arguments === undefined ? null : summarizePayload(input.arguments, d.ctx.digest),
    feedback: input.feedback ?? null,
  };
  if (
    approval.status === 'pending' &&
    approval.expiresAt !== null &&
    Date.parse(approval.expiresAt) <= d.ctx.now
  ) {
    // Past its deadline the approval is no longer the human's to decide; the expiry timer
    // records it (approval_expired). This late decision changes nothing.
    d.decide(
      'conflict_rejected',
      record,
      `approval ${approval.id} expired at ${approval.expiresAt}`,
      about(call),
    );
    return refuse(
      d,
      'CONFLICT',
      `Approval ${approval.id} expired at ${approval.expiresAt}; it can no longer be decided.`,
    );
  }
  if (approval.status !== 'pending') {
    if (repeats(approval, input)) {
      d.decide(
        'duplicate_ignored',
        record,
        `approval ${approval.id} already ${approval.status} with this decision`,
        about(call),
      );
      return d.finish({ ok: true, duplicate: true });
    }
    d.decide(
      'conflict_rejected',
      record,
      `approval ${approval.id} is already ${approval.status}`,
      about(call),
    );
    return refuse(
      d,
      'CONFLICT',
      `Approval ${approval.id} is already ${approval.status}; the first decision stands.`,
    );
  }
  if (!call || call.status !== 'awaiting_approval') {
    throw new Error(`pending approval ${approval.id} without a call awaiting it`);
  }
  let dispatchArgs: JsonValue = call.arguments;
  if (input.decision === 'edit') {
    if (input.arguments === undefined)
      return refuse(d, 'BAD_REQUEST', 'arguments: an edit needs the new arguments.');
    if (!isClientTool(call.name)) throw new Error(`approval for runtime tool ${call.name}`);
    const checked = validateToolArguments(call.name, input.arguments);
    if (!checked.ok) return refuse(d, 'BAD_REQUEST', `arguments: ${checked.message}`);
    const denied = checkPermission(call.agent, call.name, input.arguments);
    if (denied) return refuse(d, 'BAD_REQUEST', `arguments: ${denied}`);
    dispatchArgs = input.arguments;
  }
  const decided: Approval = {
    ...approval,
    status: STATUS_OF[input.decision],
    answer: input.decision,
    feedback: input.feedback ?? null,
    editedArguments: input.decision === 'edit' ? dispatchArgs : null,
    decidedBy: input.by,
    decidedAt: d.at,
  };
  d.putApproval(decided);
  emitDecided(d, decided);
  if (input.decision === 'reject') {
    d.decide(
      'approval_rejected',
      record,
      `rejected by ${input.by}${input.feedback ? `: ${input.feedback}` : ''}`,
      about(call),
    );
    resolveCall(d, call, rejectionOutcome(decided.feedback, false), 'approval');
  } else {
    d.decide(
      'approval_granted',
      record,
      input.decision === 'edit'
        ? `approved with edited arguments by ${input.by}`
        : `approved by ${input.by}`,
      about(call),
    );
    dispatchCall(d, call, dispatchArgs);
  }
  settleStep(d, `approval ${approval.id} decided`);
  return d.finish({ ok: true, duplicate: false });
}

function expire(d: Draft, approval: Approval, call: ToolCall | undefined): void {
  const expired: Approval = {
    ...approval,
    status: 'expired',
    answer: null,
    feedback: null,
    decidedBy: 'timeout',
    decidedAt: d.at,
  };
  d.putApproval(expired);
  emitDecided(d, expired);
  d.decide(
    'approval_expired',
    { type: 'approval_expired', approvalId: approval.id },
    `no decision by ${approval.expiresAt}`,
    about(call),
  );
  if (call?.status === 'awaiting_approval') {
    // An expired call is cancelled, not resolved: a result sent for it later is late.
    const outcome = rejectionOutcome(null, true);
    d.putCall({ ...call, status: 'cancelled', outcome, resolvedBy: 'approval', resolvedAt: d.at });
    d.emit('tool_call.resolved', {
      callId: call.id,
      name: call.name,
      outcome,
      resolvedBy: 'approval',
    });
    settleStep(d, `approval ${approval.id} expired`);
  }
}

/** The approval timer fired: a still-pending approval past its deadline is rejected as `expired`. */
export function onApprovalExpired(
  d: Draft,
  input: Extract<SessionInput, { type: 'approval_expired' }>,
): TransitionResult {
  const approval = d.approvals[input.approvalId];
  if (!approval) return refuse(d, 'NOT_FOUND', `No approval ${input.approvalId} in this session.`);
  if (approval.status !== 'pending')
    return refuse(d, 'CONFLICT', `Approval ${approval.id} is already ${approval.status}.`);
  if (approval.expiresAt === null || Date.parse(approval.expiresAt) > d.ctx.now) {
    return refuse(d, 'CONFLICT', `Approval ${approval.id} has not expired.`);
  }
  expire(d, approval, approval.callId ? d.calls[approval.callId] : undefined);
  return d.finish();
}
