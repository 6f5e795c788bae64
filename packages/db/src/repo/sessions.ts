import type { AgentName, Session, SessionEvent, TransitionContext } from '@baton/domain';
import { createSession as createDomainSession } from '@baton/domain';
import type { Database, Db } from '../client';
import { newId } from '../ids';
import { committingLocally } from '../local-events';
import { sessions } from '../schema';
import { iso, toDate } from './dates';
import { statementsOf, isoOfMs, msColumn } from '../statements';
import { appendEvents, EVENTS_CHANNEL, notifyEvents } from './events';

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
  const run = statementsOf(tx);
  const [, [row]] = await Promise.all([
    run(LOCK_SESSION, [sessionId]),
    run<SessionColumns>(SELECT_SESSION, [sessionId]),
  ]);
  return row ? storedSessionOf(row) : null;
}

const LOCK_SESSION = `SELECT pg_advisory_xact_lock(${SESSION_LOCK_NAMESPACE}, hashtext($1::text))`;

const SELECT_SESSION = `SELECT id, client_id, title, agent, run, run_steps, active_plan_id,
  revising_plan_id, last_seq::float8 AS last_seq, ${msColumn('created_at')},
  ${msColumn('updated_at')}, ${msColumn('last_activity_at')}
  FROM sessions WHERE id = $1::text`;

/** A session row as {@link SELECT_SESSION} reads it. */
interface SessionColumns {
  id: string;
  client_id: string | null;
  title: string;
  agent: AgentName;
  run: Session['run'];
  run_steps: number;
  active_plan_id: string | null;
  revising_plan_id: string | null;
  last_seq: number;
  created_at: number;
  updated_at: number;
  last_activity_at: number;
}

function storedSessionOf(row: SessionColumns): StoredSession {
  return {
    id: row.id,
    clientId: row.client_id,
    title: row.title,
    agent: row.agent,
    run: row.run,
    runSteps: row.run_steps,
    activePlanId: row.active_plan_id,
    revisingPlanId: row.revising_plan_id,
    createdAt: isoOfMs(row.created_at),
    updatedAt: isoOfMs(row.updated_at),
    lastSeq: row.last_seq,
    lastActivityAt: isoOfMs(row.last_activity_at),
  };
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
  const { session } = args;
  await statementsOf(tx)(UPDATE_SESSION, [
    session.id,
    args.readLastSeq,
    args.lastSeq,
    session.title,
    session.agent,
    JSON.stringify(session.run),
    session.run.status,
    session.activePlanId,
    session.revisingPlanId,
    session.runSteps,
    session.updatedAt,
    args.activity !== false,
    new Date(args.now).toISOString(),
    args.notify === true,
    `${session.id} ${args.lastSeq}`,
  ]);
}

/**
 * The session's write: every column the domain may change (one fixed text, prepared once, costs
 * less than building the changed ones each time), compare-and-set on the counter; the activity
 * time only moves forward, and only for activity; the NOTIFY rides in the same statement. A
 * stale counter fails the statement itself (`baton_expect_written`), so the transaction fails even
 * when its COMMIT was sent behind it.
 */
const UPDATE_SESSION = `WITH written AS (UPDATE sessions SET title = $4::text, agent = $5::text,
  run = $6::text::jsonb, run_status = $7::text, active_plan_id = $8::text,
  revising_plan_id = $9::text, run_steps = $10::int, updated_at = $11::text::timestamptz,
  last_seq = $3::bigint,
  last_activity_at = CASE WHEN $12::bool
    THEN GREATEST(last_activity_at, $13::text::timestamptz) ELSE last_activity_at END
  WHERE id = $1::text AND last_seq = $2::bigint RETURNING id)
  SELECT baton_expect_written((SELECT count(*) FROM written), 'session', $1::text) AS written,
    (SELECT count(*) FROM (SELECT pg_notify('${EVENTS_CHANNEL}', $15::text) WHERE $14::bool)
      AS notified)::int AS notified`;

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
