import { jsonEqual } from './json';
import type { ToolCall, ToolOutcome } from './records';
import type { SessionState } from './state';

/** What a submitted tool result means, decided over what is recorded (SPEC §6). */
export type ToolResultVerdict =
  | { readonly kind: 'unknown_call_rejected'; readonly reason: string }
  | { readonly kind: 'duplicate_ignored'; readonly call: ToolCall; readonly reason: string }
  | { readonly kind: 'conflict_rejected'; readonly call: ToolCall; readonly reason: string }
  | { readonly kind: 'late_result_recorded'; readonly call: ToolCall; readonly reason: string }
  | { readonly kind: 'wait_for_siblings'; readonly call: ToolCall; readonly reason: string }
  | { readonly kind: 'resume_subtask'; readonly call: ToolCall; readonly reason: string }
  | { readonly kind: 'continue_agent'; readonly call: ToolCall; readonly reason: string };

/** Whether two outcomes are the same payload (key order of JSON objects aside). */
export function sameOutcome(a: ToolOutcome, b: ToolOutcome): boolean {
  if (a.type === 'error' || b.type === 'error') {
    return (
      a.type === b.type && (a as { message: string }).message === (b as { message: string }).message
    );
  }
  return jsonEqual(a.value, b.value);
}

/**
 * Decides what a client's result for `callId` means. Skip or resume, over what is recorded:
 * a resolved call compares payloads (duplicate or conflict); a cancelled one records the result
 * as late; a dispatched one is accepted, and continues its owner only when it is the last open
 * call of its step.
 */
export function decideToolResult(
  state: SessionState,
  callId: string,
  outcome: ToolOutcome,
): ToolResultVerdict {
  const call = state.calls[callId];
  if (!call) {
    return { kind: 'unknown_call_rejected', reason: `no tool call ${callId} in this session` };
  }
  switch (call.status) {
    case 'resolved':
      if (call.resolvedBy !== 'client') {
        const by =
          call.resolvedBy === 'approval' ? 'rejected by a human' : 'answered by the runtime';
        return {
          kind: 'conflict_rejected',
          call,
          reason: `call ${callId} was ${by} and never dispatched`,
        };
      }
      return call.outcome && sameOutcome(call.outcome, outcome)
        ? { kind: 'duplicate_ignored', call, reason: `call ${callId} already has this result` }
        : {
            kind: 'conflict_rejected',
            call,
            reason: `call ${callId} already has a different result`,
          };
    case 'cancelled':
      if (call.resolvedBy === 'approval') {
        return {
          kind: 'late_result_recorded',
          call,
          reason: `call ${callId} expired awaiting approval and was never dispatched`,
        };
      }
      return {
        kind: 'late_result_recorded',
        call,
        reason: `call ${callId} was cancelled before its result came`,
      };
    case 'awaiting_approval':
      return {
        kind: 'conflict_rejected',
        call,
        reason: `call ${callId} awaits approval and has not been dispatched`,
      };
    case 'dispatched': {
      const open = Object.values(state.calls).filter(
        (other) =>
          other.stepId === call.stepId &&
          other.id !== call.id &&
          (other.status === 'dispatched' || other.status === 'awaiting_approval'),
      );
      if (open.length > 0) {
        return {
          kind: 'wait_for_siblings',
          call,
          reason: `${open.length} other call(s) of this step are still open`,
        };
      }
      return call.owner.kind === 'subtask'
        ? {
            kind: 'resume_subtask',
            call,
            reason: `last open call of subtask ${call.owner.subtaskId}'s step; its ${call.agent} agent continues`,
          }
        : {
            kind: 'continue_agent',
            call,
            reason: `last open call of the step; the ${state.session.agent} agent continues`,
          };
    }
  }
}
