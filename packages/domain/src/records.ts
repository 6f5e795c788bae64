import type { AgentName } from './agents';
import type { JsonValue } from './json';
import type {
  ApprovalKind,
  ApprovalStatus,
  DecisionKind,
  PlanStatus,
  RunStatus,
  SubtaskStatus,
  ToolCallStatus,
} from './status';

/**
 * The records Baton keeps, as plain immutable data. Times are ISO-8601 strings; ids are opaque
 * strings made by the caller's id generator.
 */

/** Who issued a tool call, and so who its result continues. */
export type Owner =
  | { readonly kind: 'session' }
  | { readonly kind: 'subtask'; readonly planId: string; readonly subtaskId: string };

/** The session's agent loop as an owner. */
export const SESSION_OWNER: Owner = { kind: 'session' };

/** What a tool produced: a JSON result, or an error message. */
export type ToolOutcome =
  | { readonly type: 'result'; readonly value: JsonValue }
  | { readonly type: 'error'; readonly message: string };

/** Who resolved a call: the client's result, the runtime itself, or a human's rejection. */
export type ResolvedBy = 'client' | 'runtime' | 'approval';

/** The step a run is on, shared by every busy run state. */
interface StepRef {
  readonly runId: string;
  readonly stepId: string;
  readonly owner: Owner;
  readonly agent: AgentName;
}

/** Where the session's single flow of execution stands (a discriminated union on `status`). */
export type RunState =
  | { readonly status: typeof RunStatus.idle }
  | (StepRef & { readonly status: typeof RunStatus.modelStep; readonly fence: number })
  | (StepRef & { readonly status: typeof RunStatus.awaitingApproval })
  | (StepRef & { readonly status: typeof RunStatus.awaitingTools })
  | (StepRef & { readonly status: typeof RunStatus.awaitingPlanDecision; readonly planId: string });

/** A run state that is on a step. */
export type BusyRunState = Exclude<RunState, { status: 'idle' }>;

/** One conversation. */
export interface Session {
  readonly id: string;
  readonly clientId: string | null;
  readonly title: string;
  /** The session's current agent: changed only by `switch_agent` or an explicit request. */
  readonly agent: AgentName;
  readonly run: RunState;
  /** Steps taken by the session's own agent loop in the current run. */
  readonly runSteps: number;
  readonly activePlanId: string | null;
  /** The plan a `revise` decision superseded, to be linked from the next plan. */
  readonly revisingPlanId: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A tool call as recorded, from the step that made it to its outcome. */
export interface ToolCall {
  readonly id: string;
  readonly sessionId: string;
  readonly runId: string;
  readonly stepId: string;
  /** Position within its step; results are handed back to the model in this order. */
  readonly index: number;
  readonly owner: Owner;
  readonly agent: AgentName;
  readonly name: string;
  /** As the model asked for them. */
  readonly arguments: JsonValue;
  /** As sent to the client: the edited arguments when a human edited them. */
  readonly dispatchedArguments: JsonValue | null;
  readonly status: ToolCallStatus;
  readonly outcome: ToolOutcome | null;
  readonly resolvedBy: ResolvedBy | null;
  /** The decision of the first accepted client submission, repeated to duplicates. */
  readonly resolution: DecisionKind | null;
  readonly approvalId: string | null;
  readonly createdAt: string;
  readonly dispatchedAt: string | null;
  readonly resolvedAt: string | null;
}

/** A human's answer to an approval. */
export type ApprovalAnswer = 'approve' | 'reject' | 'edit' | 'revise';

/** A human decision gating a tool call or a plan. */
export interface Approval {
  readonly id: string;
  readonly sessionId: string;
  readonly kind: ApprovalKind;
  readonly callId: string | null;
  readonly planId: string | null;
  readonly status: ApprovalStatus;
  readonly answer: ApprovalAnswer | null;
  readonly feedback: string | null;
  readonly editedArguments: JsonValue | null;
  readonly decidedBy: string | null;
  readonly requestedAt: string;
  readonly expiresAt: string | null;
  readonly decidedAt: string | null;
}

/** One subtask of a plan: a multi-step loop of one agent with its own context. */
export interface Subtask {
  readonly id: string;
  readonly planId: string;
  readonly index: number;
  readonly title: string;
  readonly description: string;
  readonly agent: AgentName;
  readonly dependsOn: readonly number[];
  readonly status: SubtaskStatus;
  readonly result: string | null;
  readonly error: string | null;
  readonly steps: number;
}

/** A goal and an ordered DAG of subtasks. */
export interface Plan {
  readonly id: string;
  readonly sessionId: string;
  readonly goal: string;
  readonly status: PlanStatus;
  /** The orchestrator's `create_plan` call. */
  readonly callId: string;
  readonly approvalId: string | null;
  readonly supersedesPlanId: string | null;
  readonly subtasks: readonly Subtask[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A call as the model wrote it in an assistant message. */
export interface MessageToolCall {
  readonly callId: string;
  readonly name: string;
  readonly arguments: JsonValue;
}

/** What a message says, by role. */
export type MessageBody =
  | { readonly role: 'user'; readonly text: string }
  | {
      readonly role: 'assistant';
      readonly text: string;
      readonly toolCalls: readonly MessageToolCall[];
    }
  | {
      readonly role: 'tool';
      readonly callId: string;
      readonly name: string;
      readonly outcome: ToolOutcome;
    };

/**
 * A message of a context: the session's history (`subtaskId` null) or one subtask's own. Messages
 * are only ever appended.
 */
export interface Message {
  readonly id: string;
  readonly sessionId: string;
  readonly subtaskId: string | null;
  readonly runId: string | null;
  readonly stepId: string | null;
  readonly agent: AgentName | null;
  readonly body: MessageBody;
  readonly at: string;
}

/** One entry of the skip/resume log (SPEC §6). */
export interface Decision {
  readonly id: string;
  readonly sessionId: string;
  readonly at: string;
  readonly kind: DecisionKind;
  /** The input that was decided on, as data (payloads included, for audit). */
  readonly input: JsonValue;
  readonly callId: string | null;
  readonly planId: string | null;
  readonly subtaskId: string | null;
  readonly agent: AgentName | null;
  readonly reason: string;
}
