import { decideToolResult } from './decide-tool-result';
import type { Draft } from './draft';
import { refuse } from './draft';
import { settleStep } from './coordinator';
import { resolveCall } from './flow';
import type { SessionInput } from './inputs';
import type { JsonValue } from './json';
import { summarizePayload } from './payload-summary';
import type { TransitionResult } from './outcome';

/** A client submitted a tool result: decide, record exactly one decision, and carry it out. */
export function onToolResult(
  d: Draft,
  input: Extract<SessionInput, { type: 'tool_result' }>,
): TransitionResult {
  const verdict = decideToolResult(d.initial, input.callId, input.outcome);
  // A payload the call already holds (accepted, or the same again) is recorded by its size only;
  // one that changes nothing (conflicting, late, unknown) by its size, digest and a prefix.
  const kept =
    verdict.kind !== 'wait_for_siblings' &&
    verdict.kind !== 'resume_subtask' &&
    verdict.kind !== 'continue_agent' &&
    verdict.kind !== 'duplicate_ignored';
  const record: JsonValue = kept
    ? {
        type: input.type,
        callId: input.callId,
        outcomeType: input.outcome.type,
        ...summarizePayload(input.outcome, d.ctx.digest),
      }
    : {
        type: input.type,
        callId: input.callId,
        outcomeType: input.outcome.type,
        chars: JSON.stringify(input.outcome).length,
      };
  if (verdict.kind === 'unknown_call_rejected') {
    d.decide(verdict.kind, record, verdict.reason, { callId: input.callId });
    return refuse(d, 'NOT_FOUND', `No tool call ${input.callId} in this session.`);
  }
  const { call } = verdict;
  const about = {
    callId: call.id,
    // The agent that continues: after a switch_agent in the same step, the session's new one.
    agent: verdict.kind === 'continue_agent' ? d.session.agent : call.agent,
    ...(call.owner.kind === 'subtask'
      ? { planId: call.owner.planId, subtaskId: call.owner.subtaskId }
      : {}),
  };
  d.decide(verdict.kind, record, verdict.reason, about);
  switch (verdict.kind) {
    case 'conflict_rejected':
      return refuse(d, 'CONFLICT', `Tool call ${call.id}: ${verdict.reason}.`);
    case 'duplicate_ignored':
      return d.finish({ ok: true, decision: call.resolution ?? verdict.kind, duplicate: true });
    case 'late_result_recorded':
      return d.finish({ ok: true, decision: verdict.kind, duplicate: false });
    case 'wait_for_siblings':
    case 'resume_subtask':
    case 'continue_agent':
      resolveCall(d, call, input.outcome, 'client', verdict.kind);
      settleStep(d, `result of ${call.id}`);
      return d.finish({ ok: true, decision: verdict.kind, duplicate: false });
  }
}
