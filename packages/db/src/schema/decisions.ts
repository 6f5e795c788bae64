import type { AgentName, DecisionKind, JsonValue } from '@baton/domain';
import { index, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { timestamptz } from './columns';
import { sessions } from './sessions';

/** The skip/resume log (SPEC §6): one row per decision, newest first in every listing. */
export const decisions = pgTable(
  'decisions',
  {
    id: text('id').primaryKey(),
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id),
    at: timestamptz('at').notNull(),
    kind: text('kind').$type<DecisionKind>().notNull(),
    /** SQL NULL stands for a JSON `null`. */
    input: jsonb('input').$type<JsonValue>(),
    callId: text('call_id'),
    planId: text('plan_id'),
    subtaskId: text('subtask_id'),
    agent: text('agent').$type<AgentName>(),
    reason: text('reason').notNull(),
  },
  (t) => [
    index('decisions_at_idx').on(t.at.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('decisions_session_at_idx').on(
      t.sessionId,
      t.at.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    index('decisions_kind_at_idx').on(t.kind, t.at.desc().nullsFirst(), t.id.desc().nullsFirst()),
  ],
);
