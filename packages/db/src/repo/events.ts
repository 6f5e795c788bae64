import type { DomainEvent, SessionEvent } from '@baton/domain';
import { and, asc, eq, getTableColumns, gt, sql } from 'drizzle-orm';
import type { Database, Db } from '../client';
import { InvalidCursorError } from '../errors';
import { decodeEventId, encodeEventId } from '../event-id';
import { events } from '../schema';
import { statementsOf } from '../statements';
import { iso } from './dates';

/** The NOTIFY channel a commit with events announces itself on; the payload is the session id. */
export const EVENTS_CHANNEL = 'baton_events';

type EventRow = typeof events.$inferSelect;

/** The event a row holds, with its public id. */
function toSessionEvent(row: EventRow): SessionEvent {
  return {
    id: encodeEventId({ tx: row.tx, id: row.id }),
    sessionId: row.sessionId,
    seq: row.seq,
    type: row.type,
    at: iso(row.at),
    data: row.data,
  } as SessionEvent;
}

/**
 * Appends a session's events with `seq` = `afterSeq` + 1, + 2, …; the caller holds the session
 * lock and moves the session's counter to the last `seq` in the same transaction. The unique
 * (session, seq) constraint refuses any second writer of a position.
 */
export async function appendEvents(
  tx: Db,
  args: { sessionId: string; afterSeq: number; events: readonly DomainEvent[] },
): Promise<SessionEvent[]> {
  if (args.events.length === 0) return [];
  const records = args.events.map((event, i) => ({
    seq: args.afterSeq + i + 1,
    type: event.type,
    data: event.data,
    at: event.at,
  }));
  const rows = await statementsOf(tx)<{ id: number; tx: string; seq: number }>(APPEND_EVENTS, [
    args.sessionId,
    JSON.stringify(records),
  ]);
  const stored = new Map(rows.map((row) => [row.seq, row]));
  return records.map((record) => {
    const row = stored.get(record.seq);
    if (!row) throw new Error(`event ${record.seq} of session ${args.sessionId} was not stored`);
    return {
      id: encodeEventId({ tx: row.tx, id: row.id }),
      sessionId: args.sessionId,
      seq: record.seq,
      type: record.type,
      at: record.at,
      data: record.data,
    } as SessionEvent;
  });
}

/** In `seq` order, so that ids (taken row by row) increase with `seq`. */
const APPEND_EVENTS = `INSERT INTO events (session_id, seq, type, data, at)
  SELECT $1::text, seq, type, data, at FROM jsonb_to_recordset($2::text::jsonb)
    AS r(seq bigint, type text, data jsonb, at timestamptz) ORDER BY seq
  RETURNING id::float8 AS id, tx::text AS tx, seq::float8 AS seq`;

/**
 * Wakes every subscriber of the session's events when the transaction commits. The payload is
 * `<sessionId> <lastSeq>`: a follower that has already seen `lastSeq` need not read.
 */
export async function notifyEvents(tx: Db, sessionId: string, lastSeq: number): Promise<void> {
  await tx.execute(sql`SELECT pg_notify(${EVENTS_CHANNEL}, ${`${sessionId} ${lastSeq}`})`);
}

/** What a commit's notification says: whose events, and the `seq` of the last one. */
export interface EventsCommitted {
  readonly sessionId: string;
  readonly lastSeq: number;
}

/** Reads a {@link notifyEvents} payload; null when it is not one. */
export function parseEventsCommitted(payload: string): EventsCommitted | null {
  const [sessionId, lastSeq] = payload.split(' ');
  const seq = Number(lastSeq);
  return sessionId && Number.isSafeInteger(seq) ? { sessionId, lastSeq: seq } : null;
}

/**
 * One session's events after `afterId`, or after `afterSeq` (from its first event when neither
 * is given), in `seq` order.
 * `seq` is gap-free and assigned under the session lock, so a reader that resumes from the
 * `seq` of the last event it saw misses nothing and sees nothing twice.
 */
export async function readSessionEvents(
  db: Db,
  args: { sessionId: string; afterId?: string | null; afterSeq?: number; limit: number },
): Promise<SessionEvent[]> {
  const afterSeq = args.afterId
    ? await seqOfEventId(db, args.sessionId, args.afterId)
    : (args.afterSeq ?? 0);
  const rows = await db
    .select()
    .from(events)
    .where(and(eq(events.sessionId, args.sessionId), gt(events.seq, afterSeq)))
    .orderBy(asc(events.seq))
    .limit(args.limit);
  return rows.map(toSessionEvent);
}

/**
 * The `seq` of the session's event with this public id; an id that is malformed, or names
 * another session's event, is an {@link InvalidCursorError}.
 */
export async function seqOfEventId(db: Db, sessionId: string, eventId: string): Promise<number> {
  const position = decodeEventId(eventId);
  const [row] = position
    ? await db
        .select({ seq: events.seq, tx: events.tx })
        .from(events)
        .where(and(eq(events.id, position.id), eq(events.sessionId, sessionId)))
    : [];
  if (!position || row?.tx !== position.tx) throw new InvalidCursorError('lastEventId', eventId);
  return row.seq;
}

/** A page of the global stream. */
export interface EventPage {
  readonly events: SessionEvent[];
  /**
   * Events after these are committed but wait behind a transaction that is still running (it
   * may yet write events that sort before them); read again shortly.
   */
  readonly heldBack: boolean;
}

/**
 * Every session's events after `afterId`, in (transaction, id) order, delivering only events
 * whose transaction is older than every transaction still running (the snapshot's xmin): no
 * event can later commit behind the cursor, so a reader that resumes from the last id it saw
 * gets no gap and no duplicate.
 */
export async function readAllEvents(
  db: Db,
  args: { afterId?: string | null; limit: number },
): Promise<EventPage> {
  const after = args.afterId ? decodeEventId(args.afterId) : null;
  if (args.afterId && !after) throw new InvalidCursorError('lastEventId', args.afterId);
  const rows = await db
    .select({
      ...getTableColumns(events),
      horizon: sql<string>`pg_snapshot_xmin(pg_current_snapshot())::text`,
    })
    .from(events)
    .where(after ? sql`(${events.tx}, ${events.id}) > (${after.tx}::xid8, ${after.id})` : undefined)
    .orderBy(asc(events.tx), asc(events.id))
    .limit(args.limit);
  const deliverable = rows.filter((row) => BigInt(row.tx) < BigInt(row.horizon));
  return {
    events: deliverable.map(toSessionEvent),
    heldBack: deliverable.length < rows.length,
  };
}

/**
 * Calls `onWake` with what each commit that appended events announced, in any process sharing
 * the database — or with `null` when notifications may have been lost (a listening connection
 * came back), meaning "read again". Resolves once subscribed.
 */
export function subscribeEvents(
  database: Database,
  onWake: (committed: EventsCommitted | null) => void,
): Promise<() => Promise<void>> {
  return database.listen(
    EVENTS_CHANNEL,
    (payload) => onWake(parseEventsCommitted(payload)),
    () => onWake(null),
  );
}
