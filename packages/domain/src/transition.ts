import type { TransitionContext } from './context';
import { Draft } from './draft';
import type { SessionInput } from './inputs';
import { onApprovalDecision, onApprovalExpired } from './on-approval';
import { onModelStepCompleted, onModelStepFailed } from './on-model-step';
import { onCancelPlan, onPlanDecision, onRetrySubtask } from './on-plan';
import { onCancelRun, onLeaseExpired, onUserMessage } from './on-session';
import { onToolResult } from './on-tool-result';
import type { TransitionResult } from './outcome';
import type { SessionState } from './state';

/**
 * The whole behaviour of a session as one pure function: given what is recorded and an input,
 * the new state, the messages to append, the decisions and events to record, the effects for
 * the engine, and what to tell the caller. No I/O, no clock, no randomness: `ctx` brings those.
 */
export function transition(
  state: SessionState,
  input: SessionInput,
  ctx: TransitionContext,
): TransitionResult {
  const d = new Draft(state, ctx);
  switch (input.type) {
    case 'user_message':
      return onUserMessage(d, input);
    case 'model_step_completed':
      return onModelStepCompleted(d, input);
    case 'model_step_failed':
      return onModelStepFailed(d, input);
    case 'tool_result':
      return onToolResult(d, input);
    case 'approval_decision':
      return onApprovalDecision(d, input);
    case 'approval_expired':
      return onApprovalExpired(d, input);
    case 'plan_decision':
      return onPlanDecision(d, input);
    case 'cancel_run':
      return onCancelRun(d, input);
    case 'cancel_plan':
      return onCancelPlan(d, input);
    case 'retry_subtask':
      return onRetrySubtask(d, input);
    case 'lease_expired':
      return onLeaseExpired(d, input);
  }
}
