import { desc, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { encodeEventId } from '../event-id';
import { events } from '../schema';

/**
 * Where "from now" starts in the global stream: the id of the newest event, in (transaction, id)
 * order, whose transaction is older than every transaction still running (the snapshot's xmin,
 * as in `readAllEvents`). Every transaction at or past that horizon has its events after this
 * id, so following the stream from it skips the history but misses nothing that commits from
 * now on — including events already committed behind a transaction still running, which come
 * first. Null when no event is below the horizon: then the whole stream is "from now".
 */
export async function latestEventId(db: Db): Promise<string | null> {
  const [row] = await db
    .select({ tx: events.tx, id: events.id })
    .from(events)
    .where(sql`${events.tx} < pg_snapshot_xmin(pg_current_snapshot())`)
    .orderBy(desc(events.tx), desc(events.id))
    .limit(1);
  return row ? encodeEventId({ tx: row.tx, id: row.id }) : null;
}
