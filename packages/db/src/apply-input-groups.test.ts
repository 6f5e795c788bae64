import { describe, expect, inject, it } from 'vitest';
import type { AppliedInput } from './repo/apply-input';
import { applyInput } from './repo/apply-input';
import { getSession } from './repo/session-views';
import { testBackends, useTestDatabase } from './testing/backends';
import { contextsOf, decideAt, sessionAwaitingOneCall, testClock } from './testing/fixtures';

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
});
