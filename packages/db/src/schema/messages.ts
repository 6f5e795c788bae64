import type { AgentName, MessageBody } from '@baton/domain';
import { bigserial, index, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { timestamptz } from './columns';
import { sessions } from './sessions';

/**
 * Messages of every context of a session (its history, `subtask_id` null, or one subtask's own),
 * only ever inserted. `ordinal` orders them; `idempotency_key` is the key a user message was sent
 * with, and the unique index on it is the final arbiter of a repeated send.
 */
export const messages = pgTable(
  'messages',
  {
    id: text('id').primaryKey(),
    ordinal: bigserial('ordinal', { mode: 'number' }).notNull(),
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id),
    subtaskId: text('subtask_id'),
    runId: text('run_id'),
    stepId: text('step_id'),
    agent: text('agent').$type<AgentName>(),
    body: jsonb('body').$type<MessageBody>().notNull(),
    at: timestamptz('at').notNull(),
    idempotencyKey: text('idempotency_key'),
  },
  (t) => [
    uniqueIndex('messages_session_idempotency_key_unique').on(t.sessionId, t.idempotencyKey),
    index('messages_session_subtask_ordinal_idx').on(t.sessionId, t.subtaskId, t.ordinal),
  ],
);
