/**
 * Every status Baton knows, as `as const` objects with the union derived from them, so a status
 * is written once and both the value and the type come from the same place.
 */

/** Where a session's single flow of execution stands. */
export const RunStatus = {
  idle: 'idle',
  modelStep: 'model_step',
  awaitingApproval: 'awaiting_approval',
  awaitingTools: 'awaiting_tools',
  awaitingPlanDecision: 'awaiting_plan_decision',
} as const;
export type RunStatus = (typeof RunStatus)[keyof typeof RunStatus];

/** The life of one tool call, from the step that asked for it to its result. */
export const ToolCallStatus = {
  awaitingApproval: 'awaiting_approval',
  dispatched: 'dispatched',
  resolved: 'resolved',
  cancelled: 'cancelled',
} as const;
export type ToolCallStatus = (typeof ToolCallStatus)[keyof typeof ToolCallStatus];

/** A plan from its creation to its end. `awaiting_approval` and `in_progress` are active. */
export const PlanStatus = {
  awaitingApproval: 'awaiting_approval',
  inProgress: 'in_progress',
  completed: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
  rejected: 'rejected',
  superseded: 'superseded',
} as const;
export type PlanStatus = (typeof PlanStatus)[keyof typeof PlanStatus];

/** The plan statuses that count as the session's one active plan. */
export const ACTIVE_PLAN_STATUSES: readonly PlanStatus[] = [
  PlanStatus.awaitingApproval,
  PlanStatus.inProgress,
];

/** One subtask of a plan. */
export const SubtaskStatus = {
  pending: 'pending',
  running: 'running',
  completed: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
} as const;
export type SubtaskStatus = (typeof SubtaskStatus)[keyof typeof SubtaskStatus];

/** A human decision gating a tool call or a plan. */
export const ApprovalStatus = {
  pending: 'pending',
  approved: 'approved',
  edited: 'edited',
  rejected: 'rejected',
  expired: 'expired',
  cancelled: 'cancelled',
} as const;
export type ApprovalStatus = (typeof ApprovalStatus)[keyof typeof ApprovalStatus];

/** What an approval gates. */
export const ApprovalKind = { tool: 'tool', plan: 'plan' } as const;
export type ApprovalKind = (typeof ApprovalKind)[keyof typeof ApprovalKind];

/** The kinds of the skip/resume log (SPEC §6). */
export const DecisionKind = {
  resumeSubtask: 'resume_subtask',
  continueAgent: 'continue_agent',
  waitForSiblings: 'wait_for_siblings',
  duplicateIgnored: 'duplicate_ignored',
  conflictRejected: 'conflict_rejected',
  lateResultRecorded: 'late_result_recorded',
  unknownCallRejected: 'unknown_call_rejected',
  approvalGranted: 'approval_granted',
  approvalRejected: 'approval_rejected',
  approvalExpired: 'approval_expired',
  planAdvanced: 'plan_advanced',
  planCompleted: 'plan_completed',
  planFailed: 'plan_failed',
  planCancelled: 'plan_cancelled',
  leaseRecovered: 'lease_recovered',
  staleWorkerFenced: 'stale_worker_fenced',
} as const;
export type DecisionKind = (typeof DecisionKind)[keyof typeof DecisionKind];

/** The event types a session's stream carries (SPEC §7). */
export const EventType = {
  sessionCreated: 'session.created',
  messageUser: 'message.user',
  messageDelta: 'message.delta',
  messageAssistant: 'message.assistant',
  agentSwitched: 'agent.switched',
  toolCallDispatched: 'tool_call.dispatched',
  toolCallResolved: 'tool_call.resolved',
  approvalRequested: 'approval.requested',
  approvalDecided: 'approval.decided',
  planCreated: 'plan.created',
  planStatus: 'plan.status',
  subtaskStatus: 'subtask.status',
  runState: 'run.state',
  decision: 'decision',
  error: 'error',
} as const;
export type EventType = (typeof EventType)[keyof typeof EventType];
