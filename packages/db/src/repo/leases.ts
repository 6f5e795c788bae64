import { and, eq, lte, sql } from 'drizzle-orm';
import type { Database, Db } from '../client';
import { leases, sessions } from '../schema';
import { statementsOf } from '../statements';
import { rowsOf } from './raw';

/** A lease on a session's model step in flight. */
export interface Lease {
  readonly sessionId: string;
  readonly stepId: string;
  readonly fence: number;
  readonly holder: string;
  /** Milliseconds since the epoch. */
  readonly expiresAt: number;
}

/**
 * Writes the lease of a step the domain just started (or restarted under a new fence), inside
 * the transaction that committed it: there is no moment where the step is committed but held by
 * nobody. Unconditional: the caller holds the session lock and the domain chose the fence.
 */
export async function writeLease(tx: Db, lease: Lease): Promise<void> {
  await statementsOf(tx)(WRITE_LEASE, [
    lease.sessionId,
    lease.stepId,
    lease.fence,
    lease.holder,
    new Date(lease.expiresAt).toISOString(),
  ]);
}

const WRITE_LEASE = `INSERT INTO leases (session_id, step_id, fence, holder, expires_at)
  VALUES ($1::text, $2::text, $3::int, $4::text, $5::text::timestamptz)
  ON CONFLICT (session_id) DO UPDATE SET step_id = excluded.step_id, fence = excluded.fence,
    holder = excluded.holder, expires_at = excluded.expires_at`;

/**
 * Claims the lease of the step the session is running at `fence` for `holder` until
 * `expiresAt`. Succeeds only while the session's run is that step at that fence, and unless a
 * different holder has a live lease on it at the same or a higher fence. One statement: of two
 * workers racing, exactly one wins.
 */
export async function claimLease(db: Db, args: Lease & { now: number }): Promise<boolean> {
  const expiresAt = new Date(args.expiresAt).toISOString();
  const now = new Date(args.now).toISOString();
  const claimed = await db.execute<{ session_id: string }>(sql`
    INSERT INTO ${leases} (session_id, step_id, fence, holder, expires_at)
    SELECT ${sessions.id}, ${args.stepId}::text, ${args.fence}::int, ${args.holder}::text,
           ${expiresAt}::timestamptz
      FROM ${sessions}
     WHERE ${sessions.id} = ${args.sessionId}
       AND ${sessions.run} ->> 'status' = 'model_step'
       AND ${sessions.run} ->> 'stepId' = ${args.stepId}
       AND (${sessions.run} ->> 'fence')::int = ${args.fence}::int
    ON CONFLICT (session_id) DO UPDATE
       SET step_id = excluded.step_id, fence = excluded.fence,
           holder = excluded.holder, expires_at = excluded.expires_at
     WHERE leases.step_id <> excluded.step_id
        OR leases.fence < excluded.fence
        OR leases.holder = excluded.holder
        OR leases.expires_at <= ${now}::timestamptz
    RETURNING session_id`);
  return rowsOf(claimed).length === 1;
}

/**
 * Extends a lease its holder still has (same step, fence and holder) to `until`; false when the
 * lease was lost — the holder must then stop, as its commit would be fenced anyway.
 */
export async function renewLease(
  db: Db,
  args: { sessionId: string; stepId: string; fence: number; holder: string; until: number },
): Promise<boolean> {
  const renewed = await db
    .update(leases)
    .set({ expiresAt: new Date(args.until) })
    .where(
      and(
        eq(leases.sessionId, args.sessionId),
        eq(leases.stepId, args.stepId),
        eq(leases.fence, args.fence),
        eq(leases.holder, args.holder),
      ),
    )
    .returning({ sessionId: leases.sessionId });
  return renewed.length === 1;
}

/**
 * Leases expired at `now` whose step is still in flight (the session's run is that step at that
 * fence): the engine applies `lease_expired` to each, which restarts the step under a new fence
 * and a new holder.
 */
export async function findExpiredLeases(
  db: Db,
  args: { now: number; limit?: number },
): Promise<{ sessionId: string; stepId: string; fence: number; holder: string }[]> {
  return db
    .select({
      sessionId: leases.sessionId,
      stepId: leases.stepId,
      fence: leases.fence,
      holder: leases.holder,
    })
    .from(leases)
    .innerJoin(sessions, eq(sessions.id, leases.sessionId))
    .where(
      and(
        lte(leases.expiresAt, new Date(args.now)),
        eq(sessions.runStatus, 'model_step'),
        sql`${sessions.run} ->> 'stepId' = ${leases.stepId}`,
        sql`(${sessions.run} ->> 'fence')::int = ${leases.fence}`,
      ),
    )
    .orderBy(leases.expiresAt)
    .limit(args.limit ?? 100);
}

/**
 * The NOTIFY channel a released lease announces itself on (payload: the session id), so that
 * the recovery sweep of every replica sharing the database takes the step over at once instead
 * of at its next scheduled sweep.
 */
export const LEASES_CHANNEL = 'baton_leases';

/**
 * Gives up a lease its holder still has (same step, fence and holder) by making it expire at
 * `now`, and announces it on {@link LEASES_CHANNEL}: a replica that shuts down, or has no room
 * for the step, hands it to recovery elsewhere without the wait of a whole lease. False when the
 * lease was not (or no longer) the holder's. One statement, so the notification is sent exactly
 * when the release commits.
 */
export async function releaseLease(
  db: Db,
  args: { sessionId: string; stepId: string; fence: number; holder: string; now: number },
): Promise<boolean> {
  const released = await db.execute<{ session_id: string }>(sql`
    WITH released AS (
      UPDATE ${leases}
         SET ${sql.identifier(leases.expiresAt.name)} =
             LEAST(${leases.expiresAt}, ${new Date(args.now).toISOString()}::timestamptz)
       WHERE ${leases.sessionId} = ${args.sessionId}
         AND ${leases.stepId} = ${args.stepId}
         AND ${leases.fence} = ${args.fence}::int
         AND ${leases.holder} = ${args.holder}
      RETURNING ${leases.sessionId}
    )
    SELECT session_id, pg_notify(${LEASES_CHANNEL}, session_id) FROM released`);
  return rowsOf(released).length === 1;
}

/**
 * Calls `onReleased` whenever a lease is released ({@link releaseLease}) in any process sharing
 * the database, with its session id — or with `null` when notifications may have been lost (the
 * listening connection came back). Resolves once listening.
 */
export function subscribeLeaseReleases(
  database: Database,
  onReleased: (sessionId: string | null) => void,
): Promise<() => Promise<void>> {
  return database.listen(LEASES_CHANNEL, onReleased, () => onReleased(null));
}
