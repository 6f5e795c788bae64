import { sql } from 'drizzle-orm';
import { describe, expect, inject, it } from 'vitest';
import type { AppliedInput } from './repo/apply-input';
import { applyInput } from './repo/apply-input';
import { getSession } from './repo/session-views';
import { testBackends, useTestDatabase } from './testing/backends';
import { rowsOf } from './repo/raw';
import {
  apply,
  contextsOf,
  decideAt,
  newSession,
  sessionAwaitingOneCall,
  stepDone,
  testClock,
} from './testing/fixtures';

describe.each(testBackends(inject('databaseUrl')))('grouped inputs on $kind', (backend) => {
  const t = useTestDatabase(backend);

  const resultFor = (sessionId: string, callId: string, now: number, decideThrows = false) =>
    applyInput(t.database, {
      sessionId,
      input: { type: 'tool_result', callId, outcome: { type: 'result', value: 'ok' } },
      decide: decideThrows
        ? () => {
            throw new Error('the decision failed');
          }
        : decideAt({ type: 'tool_result', callId, outcome: { type: 'result', value: 'ok' } }, now),
      now,
      holder: 'worker-a',
      contexts: contextsOf(t.database),
    });

  it("commits many sessions' inputs of one tick in one transaction, each as if alone", async () => {
    const clock = testClock();
    const waiting = [];
    for (let i = 0; i < 8; i++) waiting.push(await sessionAwaitingOneCall(t.database, clock));
    clock.now += 1000;
    const before = t.database.transactionCount();
    const applied = await Promise.all(
      waiting.map(({ sessionId, callId }) => resultFor(sessionId, callId, clock.now)),
    );
    expect(t.database.transactionCount() - before).toBeLessThan(waiting.length);
    for (const [i, { sessionId }] of waiting.entries()) {
      const one = applied[i] as AppliedInput;
      expect(one.result.outcome).toMatchObject({ ok: true, decision: 'continue_agent' });
      expect(one.events.every((event) => event.sessionId === sessionId)).toBe(true);
      // The step it started was given its own session's context, ending with this result.
      const [context] = [...one.contexts.values()];
      expect(context?.every((message) => message.sessionId === sessionId)).toBe(true);
      expect(context?.at(-1)?.body).toMatchObject({ role: 'tool' });
      const stored = await getSession(t.database.db, { sessionId });
      expect(stored?.session.run.status).toBe('model_step');
      expect(stored?.session.lastSeq).toBe(one.events.at(-1)?.seq);
    }
  });

  it('commits the others when one input of the group fails, and fails that one alone', async () => {
    const clock = testClock();
    const waiting = [];
    for (let i = 0; i < 4; i++) waiting.push(await sessionAwaitingOneCall(t.database, clock));
    clock.now += 1000;
    const failing = waiting[2];
    const settled = await Promise.allSettled(
      waiting.map(({ sessionId, callId }) =>
        resultFor(sessionId, callId, clock.now, sessionId === failing?.sessionId),
      ),
    );
    for (const [i, { sessionId }] of waiting.entries()) {
      const stored = await getSession(t.database.db, { sessionId });
      if (sessionId === failing?.sessionId) {
        expect(settled[i]).toMatchObject({
          status: 'rejected',
          reason: { message: 'the decision failed' },
        });
        expect(stored?.session.run.status).toBe('awaiting_tools');
      } else {
        expect(settled[i]?.status).toBe('fulfilled');
        expect(stored?.session.run.status).toBe('model_step');
      }
    }
  });

  it("writes every row of a transition in the transition's own transaction, before its COMMIT", async () => {
    const clock = testClock();
    const sessionId = await newSession(t.database, clock);
    const started = await apply(t.database, {
      sessionId,
      clock,
      input: { type: 'user_message', text: 'plan it' },
    });
    const planned = await apply(t.database, {
      sessionId,
      clock,
      input: stepDone(started, 'a plan', [
        {
          name: 'create_plan',
          arguments: {
            goal: 'Ship it',
            subtasks: [
              { title: 'Write', description: 'Write a.ts', agent: 'coder', dependsOn: [] },
              { title: 'Check', description: 'Check a.ts', agent: 'debug', dependsOn: [0] },
            ],
          },
        },
      ]),
    });
    const [plan] = Object.values(planned.result.state.plans);
    /** Checks, right after it committed, that `applied` wrote its rows itself. */
    const expectWrittenBy = async (applied: AppliedInput, subtasksWritten: number) => {
      // The transaction's id as its events carry it (xid8), and as each row's xmin says it.
      const lastEvent = applied.events.at(-1);
      const rows = rowsOf<{ kind: string; xid: string }>(
        await t.database.db.execute(sql`
          SELECT 'event' AS kind, (tx::text::bigint % 4294967296)::text AS xid FROM events
           WHERE session_id = ${sessionId} AND seq = ${lastEvent?.seq ?? 0}
          UNION ALL SELECT 'session', xmin::text FROM sessions WHERE id = ${sessionId}
          UNION ALL SELECT 'plan', xmin::text FROM plans WHERE id = ${plan?.id ?? ''}
          UNION ALL SELECT 'subtask', xmin::text FROM subtasks WHERE plan_id = ${plan?.id ?? ''}`),
      );
      const writer = rows.find((row) => row.kind === 'event')?.xid;
      expect(writer).toBeDefined();
      expect(rows.find((row) => row.kind === 'session')?.xid).toBe(writer);
      expect(rows.find((row) => row.kind === 'plan')?.xid).toBe(writer);
      const subtasks = rows.filter((row) => row.kind === 'subtask' && row.xid === writer);
      expect(subtasks).toHaveLength(subtasksWritten);
    };
    // Created: the plan and both subtasks.
    await expectWrittenBy(planned, 2);
    const approved = await apply(t.database, {
      sessionId,
      clock,
      input: { type: 'plan_decision', planId: plan?.id ?? '', decision: 'approve', by: 'op' },
    });
    // Approved: the plan, and the first subtask, which starts.
    await expectWrittenBy(approved, 1);
  });
});
