import type { SessionEvent, SessionState, TransitionResult } from '@baton/domain';
import { ACTIVE_PLAN_STATUSES } from '@baton/domain';
import type { Db } from '../client';
import { insertApprovals, updateApproval } from './approvals';
import { insertDecisions } from './decisions';
import { appendEvents } from './events';
import { writeLease } from './leases';
import { insertMessages } from './messages';
import { insertPlan, insertSubtasks, updatePlan, updateSubtask } from './plans';
import { updateSession } from './sessions';
import { insertToolCalls, updateToolCall } from './tool-calls';

/** Records of `next` that are new, and those whose object changed, versus `loaded`. */
function changes<T extends { id: string }>(
  loaded: Readonly<Record<string, T>>,
  next: Readonly<Record<string, T>> | readonly T[],
): { inserted: T[]; updated: { record: T; was: T }[] } {
  const inserted: T[] = [];
  const updated: { record: T; was: T }[] = [];
  for (const record of Object.values(next)) {
    const was = loaded[record.id];
    if (!was) inserted.push(record);
    else if (was !== record) updated.push({ record, was });
  }
  return { inserted, updated };
}

/**
 * Puts the updates that enter a uniquely-constrained status last, so that within one
 * transaction the row leaving it (the subtask that completes, the plan that ends) is written
 * before the row entering it, and the partial unique indexes never see two at once.
 */
function leavingFirst<T>(updates: T[], enters: (update: T) => boolean): T[] {
  return [...updates.filter((u) => !enters(u)), ...updates.filter(enters)];
}

const isActive = (status: string): boolean =>
  (ACTIVE_PLAN_STATUSES as readonly string[]).includes(status);

/**
 * Starts the writes of the plans and subtasks the transition changed or made, in the order the
 * constraints need, and returns them (see {@link commitTransition} on why they are not awaited
 * one by one).
 */
function writePlans(tx: Db, loaded: SessionState, next: SessionState): Promise<void>[] {
  const plans = changes(loaded.plans, next.plans);
  const planUpdates = leavingFirst(
    plans.updated,
    (u) => isActive(u.record.status) && !isActive(u.was.status),
  );
  const subtasks = planUpdates.map(({ record, was }) =>
    changes(Object.fromEntries(was.subtasks.map((s) => [s.id, s])), record.subtasks),
  );
  const ordered = leavingFirst(
    subtasks.flatMap((s) => s.updated),
    (u) => u.record.status === 'running' && u.was.status !== 'running',
  );
  return [
    ...planUpdates.map(({ record, was }) => updatePlan(tx, record, was)),
    ...ordered.map(({ record, was }) => updateSubtask(tx, record, was)),
    insertSubtasks(
      tx,
      subtasks.flatMap((s) => s.inserted),
    ),
    ...plans.inserted.map((plan) => insertPlan(tx, plan)),
  ];
}

/** How {@link commitTransition} commits one transition. */
export interface CommitArgs {
  /** The working set the transition was computed from, as loaded. */
  readonly loaded: SessionState;
  /** The session's event counter as loaded. */
  readonly lastSeq: number;
  readonly result: TransitionResult;
  readonly now: number;
  /** Who runs the model steps this transition starts, and for how long their lease holds. */
  readonly lease: { readonly holder: string; readonly ms: number };
  /** Stored on the user message, for a `user_message` sent with one. */
  readonly idempotencyKey?: string;
}

/**
 * Writes one transition inside the caller's transaction (which holds the session lock): only the
 * records whose object identity changed versus the loaded state (the domain copies maps
 * shallowly, so an untouched record keeps its identity) — each as a compare-and-set on what was
 * loaded — plus the new records; appends messages, decisions and events; writes the lease of
 * every step it starts; and NOTIFYs subscribers at commit. Returns the stored events.
 */
export async function commitTransition(tx: Db, args: CommitArgs): Promise<SessionEvent[]> {
  const { loaded, result } = args;
  const next = result.state;
  const sessionId = loaded.session.id;
  const calls = changes(loaded.calls, next.calls);
  const approvals = changes(loaded.approvals, next.approvals);
  const lastSeq = args.lastSeq + result.events.length;

  // Every write is started before any is awaited: the driver sends them down the transaction's
  // connection in the order they are started, in one go, and the database runs them in that
  // order — one round trip instead of one per statement. The first to fail fails the whole
  // transaction, which then rolls back.
  const writes: Promise<unknown>[] = [
    ...writePlans(tx, loaded, next),
    insertToolCalls(tx, calls.inserted),
    ...calls.updated.map(({ record, was }) => updateToolCall(tx, record, was)),
    insertApprovals(tx, approvals.inserted),
    ...approvals.updated.map(({ record, was }) => updateApproval(tx, record, was)),
    insertMessages(tx, result.messages, args.idempotencyKey),
    insertDecisions(tx, result.decisions),
  ];
  const events = appendEvents(tx, { sessionId, afterSeq: args.lastSeq, events: result.events });
  writes.push(events);
  if (next.session !== loaded.session || result.events.length > 0) {
    writes.push(
      updateSession(tx, {
        session: next.session,
        was: loaded.session,
        readLastSeq: args.lastSeq,
        lastSeq,
        now: args.now,
        notify: result.events.length > 0,
        // A refused or repeated input leaves its decision and nothing else (SPEC §7).
        activity:
          next.session !== loaded.session ||
          result.events.some((event) => event.type !== 'decision'),
      }),
    );
  }
  for (const effect of result.effects) {
    if (effect.type !== 'run_model_step') continue;
    writes.push(
      writeLease(tx, {
        sessionId,
        stepId: effect.stepId,
        fence: effect.fence,
        holder: args.lease.holder,
        expiresAt: args.now + args.lease.ms,
      }),
    );
  }
  await Promise.all(writes);
  return events;
}
