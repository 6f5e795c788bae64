import type { EventType } from '@baton/domain';
import { sql } from 'drizzle-orm';
import { bigint, bigserial, index, jsonb, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { timestamptz, xid8 } from './columns';
import { sessions } from './sessions';

/**
 * The append-only event log. `seq` is the per-session position (gap-free: assigned under the
 * session lock). `id` alone is not a commit-order cursor — a later id can commit before an
 * earlier one — so the global stream is ordered by (`tx`, `id`), where `tx` is the writing
 * transaction's id, and only delivers rows whose transaction is below the oldest one still
 * running: nothing can then appear behind a reader's cursor. A session's writers get their
 * `tx` after taking its lock, so (`tx`, `id`) follows `seq` within a session; the trigger
 * `events_follow_in_commit_order` (migration 0001) refuses an event that would not.
 */
export const events = pgTable(
  'events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tx: xid8('tx')
      .notNull()
      .default(sql`pg_current_xact_id()`),
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    type: text('type').$type<EventType>().notNull(),
    data: jsonb('data').$type<unknown>().notNull(),
    at: timestamptz('at').notNull(),
  },
  (t) => [
    unique('events_session_seq_unique').on(t.sessionId, t.seq),
    index('events_tx_id_idx').on(t.tx, t.id),
  ],
);
