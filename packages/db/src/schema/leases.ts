import { index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { timestamptz } from './columns';
import { sessions } from './sessions';

/**
 * The lease on a session's model step in flight: who runs it (`holder`), until when, and at
 * which fencing number. One row per session, overwritten by each new step or takeover.
 */
export const leases = pgTable(
  'leases',
  {
    sessionId: text('session_id')
      .primaryKey()
      .references(() => sessions.id),
    stepId: text('step_id').notNull(),
    fence: integer('fence').notNull(),
    holder: text('holder').notNull(),
    expiresAt: timestamptz('expires_at').notNull(),
  },
  (t) => [index('leases_expires_idx').on(t.expiresAt)],
);
