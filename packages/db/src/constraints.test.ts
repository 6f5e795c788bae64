import type { Plan, Subtask, ToolCall } from '@baton/domain';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { isUniqueViolation, postgresErrorOf } from './errors';
import { appendEvents } from './repo/events';
import { insertPlan } from './repo/plans';
import { insertToolCalls } from './repo/tool-calls';
import { testBackends, useTestDatabase } from './testing/backends';
import type { Clock } from './testing/fixtures';
import { apply, newSession, testClock } from './testing/fixtures';

const at = '2030-01-01T00:00:00.000Z';

function plan(
  sessionId: string,
  id: string,
  status: Plan['status'],
  subtasks: Subtask['status'][] = [],
): Plan {
  return {
    id,
    sessionId,
    goal: 'g',
    status,
    callId: `${id}-call`,
    approvalId: null,
    supersedesPlanId: null,
    subtasks: subtasks.map((subtaskStatus, index) => ({
      id: `${id}-subtask-${index}`,
      planId: id,
      index,
      title: 't',
      description: 'd',
      agent: 'coder',
      dependsOn: [],
      status: subtaskStatus,
      result: null,
      error: null,
      steps: 0,
    })),
    createdAt: at,
    updatedAt: at,
  };
}

function call(sessionId: string, id: string, patch: Partial<ToolCall> = {}): ToolCall {
  return {
    id,
    sessionId,
    runId: 'run',
    stepId: 'step',
    index: 0,
    owner: { kind: 'session' },
    agent: 'coder',
    name: 'read_file',
    arguments: { path: 'a.ts' },
    dispatchedArguments: { path: 'a.ts' },
    status: 'dispatched',
    outcome: null,
    resolvedBy: null,
    resolution: null,
    approvalId: null,
    createdAt: at,
    dispatchedAt: at,
    resolvedAt: null,
    ...patch,
  };
}

describe.each(testBackends(inject('databaseUrl')))('constraints on $kind', (backend) => {
  const t = useTestDatabase(backend);
  let clock: Clock;
  let sessionId: string;
  beforeAll(async () => {
    clock = testClock();
    sessionId = await newSession(t.database, clock);
  });

  it('refuse a second active plan in one session, and allow finished ones beside it', async () => {
    const { db } = t.database;
    await insertPlan(db, plan(sessionId, 'plan-old', 'completed'));
    await insertPlan(db, plan(sessionId, 'plan-a', 'awaiting_approval'));
    const error: unknown = await insertPlan(db, plan(sessionId, 'plan-b', 'in_progress')).catch(
      (e: unknown) => e,
    );
    expect(isUniqueViolation(error, 'plans_one_active_per_session')).toBe(true);
  });

  it('refuse a second running subtask in one plan', async () => {
    const error: unknown = await insertPlan(
      t.database.db,
      plan(sessionId, 'plan-c', 'failed', ['completed', 'running', 'running']),
    ).catch((e: unknown) => e);
    expect(isUniqueViolation(error, 'subtasks_one_running_per_plan')).toBe(true);
  });

  it('refuse a second event at the same position of a session', async () => {
    const event = { type: 'error', at, data: { message: 'x' } } as const;
    const error: unknown = await appendEvents(t.database.db, {
      sessionId,
      afterSeq: 0,
      events: [event],
    }).catch((e: unknown) => e);
    expect(isUniqueViolation(error, 'events_session_seq_unique')).toBe(true);
  });

  it('refuse a resolved call without an outcome, and a call id twice', async () => {
    const { db } = t.database;
    const error: unknown = await insertToolCalls(db, [
      call(sessionId, 'call-x', { status: 'resolved', resolvedBy: 'client', resolvedAt: at }),
    ]).catch((e: unknown) => e);
    expect(postgresErrorOf(error)).toEqual({
      code: '23514',
      constraint: 'tool_calls_resolved_has_outcome',
    });
    await insertToolCalls(db, [call(sessionId, 'call-y')]);
    const twice: unknown = await insertToolCalls(db, [call(sessionId, 'call-y')]).catch(
      (e: unknown) => e,
    );
    expect(isUniqueViolation(twice)).toBe(true);
  });

  it('refuse a session whose run status disagrees with its run', async () => {
    const error: unknown = await t.database.db
      .execute(sql`UPDATE sessions SET run_status = 'model_step' WHERE id = ${sessionId}`)
      .catch((e: unknown) => e);
    expect(postgresErrorOf(error)?.constraint).toBe('sessions_run_status_matches_run');
  });

  it('store JSON as JSON, not as an encoded string', async () => {
    await apply(t.database, {
      sessionId,
      clock,
      input: { type: 'user_message', text: 'hello' },
    });
    const [row] = await t.database.db
      .select({ type: sql<string>`jsonb_typeof(body)`, text: sql<string>`body ->> 'text'` })
      .from(sql`messages`)
      .where(sql`session_id = ${sessionId}`);
    expect(row).toEqual({ type: 'object', text: 'hello' });
  });
});
