import type { ApprovalAnswer, ApprovalKind, ApprovalStatus, JsonValue } from '@baton/domain';
import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { timestamptz } from './columns';
import { sessions } from './sessions';

/** Human decisions gating a tool call (one per call, ever) or a plan. */
export const approvals = pgTable(
  'approvals',
  {
    id: text('id').primaryKey(),
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id),
    kind: text('kind').$type<ApprovalKind>().notNull(),
    callId: text('call_id'),
    planId: text('plan_id'),
    status: text('status').$type<ApprovalStatus>().notNull(),
    answer: text('answer').$type<ApprovalAnswer>(),
    feedback: text('feedback'),
    editedArguments: jsonb('edited_arguments').$type<JsonValue>(),
    decidedBy: text('decided_by'),
    requestedAt: timestamptz('requested_at').notNull(),
    expiresAt: timestamptz('expires_at'),
    decidedAt: timestamptz('decided_at'),
  },
  (t) => [
    uniqueIndex('approvals_tool_call_unique')
      .on(t.callId)
      .where(sql`${t.kind} = 'tool'`),
    index('approvals_status_expires_idx').on(t.status, t.expiresAt),
    index('approvals_session_idx').on(t.sessionId),
    check(
      'approvals_kind_shape',
      sql`(${t.kind} = 'tool' AND ${t.callId} IS NOT NULL) OR (${t.kind} = 'plan' AND ${t.planId} IS NOT NULL)`,
    ),
  ],
);
