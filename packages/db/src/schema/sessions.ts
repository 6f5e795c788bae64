import type { AgentName, RunState, RunStatus } from '@baton/domain';
import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { timestamptz } from './columns';

/**
 * One row per session: the domain `Session` record, plus the session's event counter
 * (`last_seq`, advanced under the session lock so `seq` is gap-free) and the time of its last
 * activity (the sort key of the session list).
 */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    clientId: text('client_id'),
    title: text('title').notNull(),
    agent: text('agent').$type<AgentName>().notNull(),
    run: jsonb('run').$type<RunState>().notNull(),
    /** `run.status`, denormalized so the session list can filter on an index. */
    runStatus: text('run_status').$type<RunStatus>().notNull(),
    activePlanId: text('active_plan_id'),
    revisingPlanId: text('revising_plan_id'),
    runSteps: integer('run_steps').notNull(),
    lastSeq: bigint('last_seq', { mode: 'number' }).notNull().default(0),
    createdAt: timestamptz('created_at').notNull(),
    updatedAt: timestamptz('updated_at').notNull(),
    lastActivityAt: timestamptz('last_activity_at').notNull(),
  },
  (t) => [
    index('sessions_activity_idx').on(
      t.lastActivityAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    index('sessions_status_activity_idx').on(
      t.runStatus,
      t.lastActivityAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    index('sessions_client_activity_idx').on(
      t.clientId,
      t.lastActivityAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    check('sessions_run_status_matches_run', sql`${t.runStatus} = ${t.run} ->> 'status'`),
  ],
);
