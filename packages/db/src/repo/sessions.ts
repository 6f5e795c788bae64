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
 * Reads a session and locks its row until the transaction ends (`SELECT … FOR UPDATE`): the
 * per-session serialization, valid across processes and replicas. Use inside a transaction.
 */
export async function lockSession(tx: Db, sessionId: string): Promise<StoredSession | null> {
  const [row] = await tx.select().from(sessions).where(eq(sessions.id, sessionId)).for('update');
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
  },
): Promise<void> {
  const updated = await tx
    .update(sessions)
    .set({
      ...changedColumns(sessionColumns(args.session), sessionColumns(args.was)),
      lastSeq: args.lastSeq,
      lastActivityAt: sql`GREATEST(${sessions.lastActivityAt}, ${new Date(args.now).toISOString()}::timestamptz)`,
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
