import type { AgentName } from './agents';
import type { JsonValue } from './json';
import type { ToolOutcome } from './records';

/** A tool call as a model step produced it. */
export interface StepToolCall {
  readonly name: string;
  readonly arguments: JsonValue;
}

/**
 * Everything that can happen to a session, as data. The engine turns API calls, model output,
 * timers and recovery into these; {@link transition} decides what they mean.
 */
export type SessionInput =
  | {
      readonly type: 'user_message';
      readonly text: string;
      readonly agent?: AgentName;
    }
  | {
      readonly type: 'model_step_completed';
      readonly stepId: string;
      readonly fence: number;
      readonly text: string;
      readonly toolCalls: readonly StepToolCall[];
    }
  | {
      readonly type: 'model_step_failed';
      readonly stepId: string;
      readonly fence: number;
      readonly error: string;
    }
  | { readonly type: 'tool_result'; readonly callId: string; readonly outcome: ToolOutcome }
  | {
      readonly type: 'approval_decision';
      readonly approvalId: string;
      readonly decision: 'approve' | 'reject' | 'edit';
      readonly arguments?: JsonValue;
      readonly feedback?: string;
      readonly by: string;
    }
  | { readonly type: 'approval_expired'; readonly approvalId: string }
  | {
      readonly type: 'plan_decision';
      readonly planId: string;
      readonly decision: 'approve' | 'reject' | 'revise';
      readonly feedback?: string;
      readonly by: string;
    }
  | { readonly type: 'cancel_run'; readonly reason: string; readonly by: string }
  | {
      readonly type: 'cancel_plan';
      readonly planId: string;
      readonly reason: string;
      readonly by: string;
    }
  | {
      readonly type: 'retry_subtask';
      readonly planId: string;
      readonly subtaskId: string;
      readonly by: string;
    }
  | { readonly type: 'lease_expired'; readonly stepId: string; readonly fence: number };

/** The type names of {@link SessionInput}. */
export type SessionInputType = SessionInput['type'];
