import type { AgentName, PlanStatus, SubtaskStatus } from '@baton/domain';
import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, unique, uniqueIndex } from 'drizzle-orm/pg-core';
import { timestamptz } from './columns';
import { sessions } from './sessions';

/** Plans. At most one per session is active (awaiting approval or in progress). */
export const plans = pgTable(
  'plans',
  {
    id: text('id').primaryKey(),
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id),
    goal: text('goal').notNull(),
    status: text('status').$type<PlanStatus>().notNull(),
    callId: text('call_id').notNull(),
    approvalId: text('approval_id'),
    supersedesPlanId: text('supersedes_plan_id'),
    createdAt: timestamptz('created_at').notNull(),
    updatedAt: timestamptz('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('plans_one_active_per_session')
      .on(t.sessionId)
      .where(sql`${t.status} IN ('awaiting_approval', 'in_progress')`),
    index('plans_session_created_idx').on(t.sessionId, t.createdAt),
  ],
);

/** The subtasks of a plan, in plan order. At most one per plan is running. */
export const subtasks = pgTable(
  'subtasks',
  {
    id: text('id').primaryKey(),
    planId: text('plan_id')
      .notNull()
      .references(() => plans.id),
    index: integer('index').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull(),
    agent: text('agent').$type<AgentName>().notNull(),
    dependsOn: integer('depends_on').array().notNull(),
    status: text('status').$type<SubtaskStatus>().notNull(),
    result: text('result'),
    error: text('error'),
    steps: integer('steps').notNull(),
  },
  (t) => [
    unique('subtasks_plan_index_unique').on(t.planId, t.index),
    uniqueIndex('subtasks_one_running_per_plan')
      .on(t.planId)
      .where(sql`${t.status} = 'running'`),
  ],
);
