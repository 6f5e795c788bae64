import type {
  AgentName,
  DecisionKind,
  JsonValue,
  ResolvedBy,
  ToolCallStatus,
  ToolOutcome,
} from '@baton/domain';
import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { timestamptz } from './columns';
import { sessions } from './sessions';

/**
 * Tool calls, from the step that made them to their outcome. The owner is spread over
 * `owner_kind` / `plan_id` / `subtask_id`. A resolved call always has its outcome (a result is
 * written once, by compare-and-set from its open status).
 */
export const toolCalls = pgTable(
  'tool_calls',
  {
    id: text('id').primaryKey(),
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id),
    runId: text('run_id').notNull(),
    stepId: text('step_id').notNull(),
    index: integer('index').notNull(),
    ownerKind: text('owner_kind').$type<'session' | 'subtask'>().notNull(),
    planId: text('plan_id'),
    subtaskId: text('subtask_id'),
    agent: text('agent').$type<AgentName>().notNull(),
    name: text('name').notNull(),
    /** SQL NULL stands for a JSON `null`. */
    arguments: jsonb('arguments').$type<JsonValue>(),
    dispatchedArguments: jsonb('dispatched_arguments').$type<JsonValue>(),
    status: text('status').$type<ToolCallStatus>().notNull(),
    outcome: jsonb('outcome').$type<ToolOutcome>(),
    resolvedBy: text('resolved_by').$type<ResolvedBy>(),
    resolution: text('resolution').$type<DecisionKind>(),
    approvalId: text('approval_id'),
    createdAt: timestamptz('created_at').notNull(),
    dispatchedAt: timestamptz('dispatched_at'),
    resolvedAt: timestamptz('resolved_at'),
  },
  (t) => [
    unique('tool_calls_session_id_unique').on(t.sessionId, t.id),
    index('tool_calls_session_step_idx').on(t.sessionId, t.stepId),
    check(
      'tool_calls_resolved_has_outcome',
      sql`${t.status} <> 'resolved' OR ${t.outcome} IS NOT NULL`,
    ),
    check(
      'tool_calls_owner_shape',
      sql`(${t.ownerKind} = 'session' AND ${t.planId} IS NULL AND ${t.subtaskId} IS NULL)
        OR (${t.ownerKind} = 'subtask' AND ${t.planId} IS NOT NULL AND ${t.subtaskId} IS NOT NULL)`,
    ),
  ],
);
