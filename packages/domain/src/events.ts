import type { AgentName } from './agents';
import type { JsonValue } from './json';
import type { Decision, ToolOutcome } from './records';
import type { ApprovalKind, ApprovalStatus, PlanStatus, RunStatus, SubtaskStatus } from './status';

/** What each event type carries in `data` (SPEC §7). */
export interface EventData {
  'session.created': { title: string; agent: AgentName };
  'message.user': { messageId: string; text: string };
  'message.delta': { stepId: string; text: string };
  'message.assistant': {
    messageId: string;
    stepId: string;
    agent: AgentName;
    text: string;
    planId?: string;
    subtaskId?: string;
  };
  'agent.switched': { from: AgentName; to: AgentName; reason: string };
  'tool_call.dispatched': {
    callId: string;
    name: string;
    arguments: JsonValue;
    agent: AgentName;
    planId?: string;
    subtaskId?: string;
  };
  'tool_call.resolved': {
    callId: string;
    name: string;
    outcome: ToolOutcome;
    resolvedBy: 'client' | 'runtime' | 'approval' | 'cancel';
  };
  'approval.requested': {
    approvalId: string;
    kind: ApprovalKind;
    callId?: string;
    planId?: string;
    name?: string;
    arguments?: JsonValue;
    agent?: AgentName;
    expiresAt?: string;
  };
  'approval.decided': {
    approvalId: string;
    kind: ApprovalKind;
    status: ApprovalStatus;
    callId?: string;
    planId?: string;
    feedback?: string;
  };
  'plan.created': {
    planId: string;
    goal: string;
    subtasks: { subtaskId: string; title: string; agent: AgentName; dependsOn: number[] }[];
  };
  'plan.status': { planId: string; status: PlanStatus };
  'subtask.status': {
    planId: string;
    subtaskId: string;
    status: SubtaskStatus;
    agent: AgentName;
    result?: string;
    error?: string;
  };
  'run.state': { from: RunStatus; to: RunStatus; runId: string | null; reason: string };
  decision: Decision;
  error: { message: string; runId?: string; stepId?: string };
}

/** An event as the domain emits it; the database gives it its global `id` and session `seq`. */
export type DomainEvent = {
  [K in keyof EventData]: { readonly type: K; readonly at: string; readonly data: EventData[K] };
}[keyof EventData];

/** An event as stored and streamed. */
export type SessionEvent = DomainEvent & {
  readonly id: string;
  readonly sessionId: string;
  readonly seq: number;
};
