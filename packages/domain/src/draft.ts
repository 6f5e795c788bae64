import type { TransitionContext, IdKind } from './context';
import type { DomainEvent, EventData } from './events';
import type { JsonValue } from './json';
import type { Effect, InputOutcome, TransitionResult } from './outcome';
import type {
  Approval,
  Decision,
  Message,
  MessageBody,
  Owner,
  Plan,
  RunState,
  Session,
  Subtask,
  ToolCall,
} from './records';
import type { DecisionKind } from './status';
import type { SessionState } from './state';

/**
 * The working copy of one transition: it accumulates the new state, messages, effects, decisions
 * and events as the handlers decide, then yields a {@link TransitionResult}. Its mutation is
 * local to one call of `transition`, so the transition as a whole stays a pure function.
 */
export class Draft {
  session: Session;
  readonly plans: Record<string, Plan>;
  readonly calls: Record<string, ToolCall>;
  readonly approvals: Record<string, Approval>;
  readonly messages: Message[] = [];
  readonly effects: Effect[] = [];
  readonly decisions: Decision[] = [];
  readonly events: DomainEvent[] = [];
  readonly at: string;

  constructor(
    readonly initial: SessionState,
    readonly ctx: TransitionContext,
  ) {
    this.session = initial.session;
    this.plans = { ...initial.plans };
    this.calls = { ...initial.calls };
    this.approvals = { ...initial.approvals };
    this.at = new Date(ctx.now).toISOString();
  }

  id(kind: IdKind): string {
    return this.ctx.newId(kind);
  }

  /** Emits an event of `type` with `data`. */
  emit<K extends keyof EventData>(type: K, data: EventData[K]): void {
    this.events.push({ type, at: this.at, data } as DomainEvent);
  }

  updateSession(patch: Partial<Session>): void {
    this.session = { ...this.session, ...patch, updatedAt: this.at };
  }

  /** Moves the run to `run`, emitting `run.state` when its status changes. */
  setRun(run: RunState, reason: string): void {
    const from = this.session.run.status;
    this.updateSession({ run });
    if (from !== run.status) {
      const runId = run.status === 'idle' ? null : run.runId;
      this.emit('run.state', { from, to: run.status, runId, reason });
    }
  }

  putCall(call: ToolCall): void {
    this.calls[call.id] = call;
  }

  putApproval(approval: Approval): void {
    this.approvals[approval.id] = approval;
  }

  putPlan(plan: Plan): void {
    this.plans[plan.id] = { ...plan, updatedAt: this.at };
  }

  /** Replaces one subtask of a plan in the draft and returns the updated plan. */
  putSubtask(subtask: Subtask): Plan {
    const plan = this.plans[subtask.planId];
    if (!plan) throw new Error(`plan ${subtask.planId} is not in the working set`);
    const updated: Plan = {
      ...plan,
      subtasks: plan.subtasks.map((s) => (s.id === subtask.id ? subtask : s)),
    };
    this.putPlan(updated);
    return this.plans[plan.id] as Plan;
  }

  /** Appends a message to the context of `owner` (the session history, or a subtask's own). */
  append(
    owner: Owner,
    body: MessageBody,
    meta: { runId?: string | null; stepId?: string | null; agent?: Message['agent'] } = {},
  ): Message {
    const message: Message = {
      id: this.id('message'),
      sessionId: this.session.id,
      subtaskId: owner.kind === 'subtask' ? owner.subtaskId : null,
      runId: meta.runId ?? null,
      stepId: meta.stepId ?? null,
      agent: meta.agent ?? null,
      body,
      at: this.at,
    };
    this.messages.push(message);
    return message;
  }

  /** Records a decision and its `decision` event. */
  decide(
    kind: DecisionKind,
    input: JsonValue,
    reason: string,
    about: Partial<Pick<Decision, 'callId' | 'planId' | 'subtaskId' | 'agent'>> = {},
  ): Decision {
    const decision: Decision = {
      id: this.id('decision'),
      sessionId: this.session.id,
      at: this.at,
      kind,
      input,
      callId: about.callId ?? null,
      planId: about.planId ?? null,
      subtaskId: about.subtaskId ?? null,
      agent: about.agent ?? null,
      reason,
    };
    this.decisions.push(decision);
    this.emit('decision', decision);
    return decision;
  }

  effect(effect: Effect): void {
    this.effects.push(effect);
  }

  /** The accumulated result. */
  finish(outcome: InputOutcome = { ok: true }): TransitionResult {
    return {
      state: {
        session: this.session,
        plans: this.plans,
        calls: this.calls,
        approvals: this.approvals,
      },
      messages: this.messages,
      effects: this.effects,
      decisions: this.decisions,
      events: this.events,
      outcome,
    };
  }
}

/** A refusal that changes nothing, except for the decision that records it where SPEC §6 names one. */
export function refuse(
  draft: Draft,
  code: 'NOT_FOUND' | 'CONFLICT' | 'BAD_REQUEST',
  message: string,
): TransitionResult {
  const keep = new Draft(draft.initial, draft.ctx);
  keep.decisions.push(...draft.decisions);
  keep.events.push(...draft.events.filter((event) => event.type === 'decision'));
  return keep.finish({ ok: false, code, message });
}
