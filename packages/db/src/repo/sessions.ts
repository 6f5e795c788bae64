import type { AgentName, Session, SessionEvent, TransitionContext } from '@baton/domain';
import { createSession as createDomainSession } from '@baton/domain';
import { and, eq, sql } from 'drizzle-orm';
import type { Database, Db } from '../client';
import { changedColumns } from './changed-columns';
import { StaleWriteError } from '../errors';
import { newId } from '../ids';
import { committingLocally } from '../local-events';
import { sessions } from '../schema';
import { iso, toDate } from './dates';
import { appendEvents, notifyEvents, notifyEventsSql } from './events';

/** A session as stored: the domain record, its event counter and its last activity. */
export type StoredSession = Session & {
  /** The `seq` of the session's last event. */
  readonly lastSeq: number;
  readonly lastActivityAt: string;
};

/**
 * Who is asking: a client sees only its own sessions (`clientId`); `null` is an operator, who
 * sees every session. Another client's session is answered exactly like a missing one.
 */
export interface Access {
  readonly clientId: string | null;
}

/** Whether `access` may see a session owned by `clientId` (no `access`: trusted internal caller). */
export function canSee(access: Access | undefined, clientId: string | null): boolean {
  return access === undefined || access.clientId === null || access.clientId === clientId;
}

type SessionRow = typeof sessions.$inferSelect;

/** The stored session a row holds. */
export function toStoredSession(row: SessionRow): StoredSession {
  return {
    id: row.id,
    clientId: row.clientId,
    title: row.title,
    agent: row.agent,
    run: row.run,
    runSteps: row.runSteps,
    activePlanId: row.activePlanId,
    revisingPlanId: row.revisingPlanId,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
    lastSeq: row.lastSeq,
    lastActivityAt: iso(row.lastActivityAt),
  };
}

/** The domain record of a stored session (without the counter and the activity time). */
export function toSession(stored: StoredSession): Session {
  const { lastSeq: _lastSeq, lastActivityAt: _lastActivityAt, ...session } = stored;
  return session;
}

/** The columns a domain session sets (everything but the counter and the activity time). */
function sessionColumns(session: Session) {
  return {
    clientId: session.clientId,
    title: session.title,
    agent: session.agent,
    run: session.run,
    runStatus: session.run.status,
    activePlanId: session.activePlanId,
    revisingPlanId: session.revisingPlanId,
    runSteps: session.runSteps,
    createdAt: toDate(session.createdAt),
    updatedAt: toDate(session.updatedAt),
  };
}

/**
 * The advisory-lock namespace of sessions: the first key of `pg_advisory_xact_lock(int, int)`,
 * a keyspace apart from single-key locks such as the migrations' ("bton").
 */
const SESSION_LOCK_NAMESPACE = 0x62746f6e;

/**
 * Takes the session's lock until the transaction ends, then reads the session: the per-session
 * serialization, valid across processes and replicas. Use inside a transaction, before it
 * writes anything.
 *
 * The lock is an advisory lock, not `SELECT … FOR UPDATE`: locking a row gives the transaction
 * its id (xid) before it waits, so of two writers queued on one session the later could hold
 * the lower xid, and event ids (which lead with the xid) would go down along the session. An
 * advisory lock assigns none; the xid comes with the first write, after the lock is held, so
 * each session's writers take xids in the order they hold its lock. The read is a second
 * statement sent with the lock in the same round trip: PostgreSQL runs it once the lock is
 * held, so it sees the previous holder's commit.
 */
export async function lockSession(tx: Db, sessionId: string): Promise<StoredSession | null> {
  const [, [row]] = await Promise.all([
    tx.execute(
      sql`SELECT pg_advisory_xact_lock(${SESSION_LOCK_NAMESPACE}::int, hashtext(${sessionId}::text))`,
    ),
    tx.select().from(sessions).where(eq(sessions.id, sessionId)),
  ]);
  return row ? toStoredSession(row) : null;
}

/**
 * Writes the session record and advances its event counter, compare-and-set on the counter it
 * was read with; throws {@link StaleWriteError} (rolling back) when the row moved meanwhile.
 */
export async function updateSession(
  tx: Db,
  args: {
    session: Session;
    /** The session as it was read: only the columns that differ from it are written. */
    was: Session;
    readLastSeq: number;
    lastSeq: number;
    now: number;
    /** Wakes the session's followers at commit (it appended events), in the same statement. */
    notify?: boolean;
    /**
     * Whether this write is activity of the session (default true): moves `lastActivityAt`. An
     * input that was refused or changed nothing is not; only its decision events are counted.
     */
    activity?: boolean;
  },
): Promise<void> {
  const updated = await tx
    .update(sessions)
    .set({
      ...changedColumns(sessionColumns(args.session), sessionColumns(args.was)),
      lastSeq: args.lastSeq,
      ...(args.activity === false
        ? {}
        : {
            lastActivityAt: sql`GREATEST(${sessions.lastActivityAt}, ${new Date(args.now).toISOString()}::timestamptz)`,
          }),
    })
    .where(and(eq(sessions.id, args.session.id), eq(sessions.lastSeq, args.readLastSeq)))
    .returning({
      id: sessions.id,
      ...(args.notify ? { notified: notifyEventsSql(args.session.id, args.lastSeq) } : {}),
    });
  if (updated.length === 0) throw new StaleWriteError('session', args.session.id);
}

/** What a new session starts with. */
export interface NewSession {
  readonly title?: string;
  readonly agent?: AgentName;
  readonly clientId?: string | null;
  readonly ctx: Pick<TransitionContext, 'now'>;
}

/** Creates an idle session and its `session.created` event, in one transaction. */
export async function createSession(
  database: Database,
  input: NewSession,
): Promise<{ session: StoredSession; events: SessionEvent[] }> {
  const made = createDomainSession(
    {
      id: newId('session'),
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(input.agent !== undefined ? { agent: input.agent } : {}),
      clientId: input.clientId ?? null,
    },
    input.ctx,
  );
  const { session } = made.state;
  const commit = () =>
    database.transaction(async (tx) => {
      const [row] = await tx
        .insert(sessions)
        .values({
          id: session.id,
          ...sessionColumns(session),
          lastSeq: made.events.length,
          lastActivityAt: toDate(session.createdAt),
        })
        .returning();
      const events = await appendEvents(tx, {
        sessionId: session.id,
        afterSeq: 0,
        events: made.events,
      });
      await notifyEvents(tx, session.id, events.length);
      return { session: toStoredSession(row as SessionRow), events };
    });
  return committingLocally(database.localEvents, session.id, commit, (created) => created.events);
}
