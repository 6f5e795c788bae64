import type { Message } from '@baton/domain';
import { and, eq, isNull } from 'drizzle-orm';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { ContextCache } from './repo/context-cache';
import { createContextCache } from './repo/context-cache';
import { insertMessages, listContextMessages } from './repo/messages';
import { messages } from './schema';
import { testBackends, useTestDatabase } from './testing/backends';
import type { Clock } from './testing/fixtures';
import { apply, sessionAwaitingOneCall, stepDone, testClock } from './testing/fixtures';

const userMessage = (sessionId: string, id: string, text: string): Message => ({
  id,
  sessionId,
  subtaskId: null,
  runId: null,
  stepId: null,
  agent: null,
  body: { role: 'user', text },
  at: new Date(Date.UTC(2030, 0, 1)).toISOString(),
});

describe.each(testBackends(inject('databaseUrl')))('the context cache on $kind', (backend) => {
  const t = useTestDatabase(backend);
  let clock: Clock;
  beforeAll(() => {
    clock = testClock();
  });

  it('gives every started step exactly the context a fresh read gives', async () => {
    const { database } = t;
    const awaiting = await sessionAwaitingOneCall(database, clock);
    const { sessionId } = awaiting;
    let { callId } = awaiting;
    for (let i = 0; i < 4; i++) {
      const resulted = await apply(database, {
        sessionId,
        clock,
        input: { type: 'tool_result', callId, outcome: { type: 'result', value: `r${i}` } },
      });
      const [started] = [...resulted.contexts];
      if (!started) throw new Error('the result started no step');
      const [stepId, given] = started;
      const fresh = await listContextMessages(database.db, { sessionId, subtaskId: null });
      expect(given).toEqual(fresh);
      const stepped = await apply(database, {
        sessionId,
        clock,
        input: stepDone(resulted, `step ${i}`, [{ name: 'read_file', arguments: { path: 'x' } }]),
      });
      expect(stepped.result.state.session.run).toMatchObject({ status: 'awaiting_tools' });
      const made = Object.values(stepped.result.state.calls).find((c) => c.stepId === stepId);
      if (!made) throw new Error(`step ${i} made no call`);
      callId = made.id;
    }
  });

  it('reads only what was appended after the messages it keeps', async () => {
    const { database } = t;
    const { sessionId } = await sessionAwaitingOneCall(database, clock);
    const cache = createContextCache();
    const context = { sessionId, subtaskId: null };
    const first = await database.transaction((tx) => cache.read(tx, context));
    first.remember();
    const kept = first.messages.length;
    expect(kept).toBeGreaterThan(0);
    // Test only: rewrite history behind the cache's back. A cache that read everything again
    // would see the rewrite; this one only reads the message appended afterwards.
    await database.db
      .update(messages)
      .set({ body: { role: 'user', text: 'rewritten' } })
      .where(and(eq(messages.sessionId, sessionId), isNull(messages.subtaskId)));
    await database.transaction((tx) =>
      insertMessages(tx, [userMessage(sessionId, 'message_appended', 'appended')]),
    );
    const second = await database.transaction((tx) => cache.read(tx, context));
    expect(second.messages.slice(0, kept)).toEqual(first.messages);
    expect(second.messages.slice(kept).map((m) => m.body)).toEqual([
      { role: 'user', text: 'appended' },
    ]);
  });

  it('remembers nothing of a read whose transaction rolled back', async () => {
    const { database } = t;
    const { sessionId } = await sessionAwaitingOneCall(database, clock);
    const cache = createContextCache();
    const context = { sessionId, subtaskId: null };
    await expect(
      database.transaction(async (tx) => {
        await insertMessages(tx, [userMessage(sessionId, 'message_phantom', 'phantom')]);
        const read = await cache.read(tx, context);
        expect(read.messages.at(-1)?.body).toEqual({ role: 'user', text: 'phantom' });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const after = await database.transaction((tx) => cache.read(tx, context));
    expect(after.messages).toEqual(
      await listContextMessages(database.db, { sessionId, subtaskId: null }),
    );
    expect(after.messages.map((m) => m.id)).not.toContain('message_phantom');
  });

  it('finds the messages another process appended, and keeps the newest of two reads', async () => {
    const { database } = t;
    const other = await t.connect();
    const { sessionId } = await sessionAwaitingOneCall(database, clock);
    const cache = createContextCache();
    const context = { sessionId, subtaskId: null };
    const older = await database.transaction((tx) => cache.read(tx, context));
    await other.transaction((tx) =>
      insertMessages(tx, [userMessage(sessionId, 'message_elsewhere', 'from elsewhere')]),
    );
    const newer = await database.transaction((tx) => cache.read(tx, context));
    newer.remember();
    older.remember(); // late: must not replace the newer one
    const again = await database.transaction((tx) => cache.read(tx, context));
    expect(again.messages).toEqual(newer.messages);
    expect(again.messages.at(-1)?.id).toBe('message_elsewhere');
  });

  it('keeps within its limits, forgetting the context remembered longest ago', async () => {
    const { database } = t;
    const a = await sessionAwaitingOneCall(database, clock);
    const b = await sessionAwaitingOneCall(database, clock);
    const c = await sessionAwaitingOneCall(database, clock);
    const remember = async (cache: ContextCache, sessionId: string) => {
      const read = await database.transaction((tx) =>
        cache.read(tx, { sessionId, subtaskId: null }),
      );
      read.remember();
      return read;
    };
    const byCount = createContextCache({ contexts: 2, chars: 1e9 });
    const first = await remember(byCount, a.sessionId);
    await remember(byCount, b.sessionId);
    await remember(byCount, c.sessionId);
    expect(byCount.usage().contexts).toBe(2);

    const size = first.messages.reduce((n, m) => n + JSON.stringify(m.body).length, 0);
    const bySize = createContextCache({ contexts: 100, chars: 2 * size });
    await remember(bySize, a.sessionId);
    await remember(bySize, b.sessionId);
    expect(bySize.usage()).toEqual({ contexts: 2, chars: 2 * size });
    await remember(bySize, c.sessionId); // a, remembered longest ago, makes room
    expect(bySize.usage()).toEqual({ contexts: 2, chars: 2 * size });
    // a is read whole again, and still right.
    const again = await remember(bySize, a.sessionId);
    expect(again.messages).toEqual(first.messages);

    const tooBig = createContextCache({ contexts: 100, chars: size - 1 });
    await remember(tooBig, a.sessionId);
    expect(tooBig.usage()).toEqual({ contexts: 0, chars: 0 });
  });
});
