import type { SessionEvent } from '@baton/domain';
import { sql } from 'drizzle-orm';
import { describe, expect, inject, it } from 'vitest';
import type { Database } from './client';
import { postgresErrorOf } from './errors';
import { followEvents } from './repo/event-stream';
import { readAllEvents, readSessionEvents } from './repo/events';
import { testBackends, useTestDatabase } from './testing/backends';
import type { Clock } from './testing/fixtures';
import { apply, sessionAwaitingOneCall, testClock } from './testing/fixtures';

/** Expects ids that increase as text in the order given, each session's `seq` gap-free. */
function expectDeliveryOrder(delivered: readonly SessionEvent[]): void {
  for (let i = 1; i < delivered.length; i++) {
    const [before, after] = [delivered[i - 1]!, delivered[i]!];
    if (!(before.id < after.id)) {
      throw new Error(`event ${after.id} (seq ${after.seq}) delivered after ${before.id}`);
    }
  }
  const lastSeq = new Map<string, number>();
  for (const event of delivered) {
    expect(event.seq).toBe((lastSeq.get(event.sessionId) ?? 0) + 1);
    lastSeq.set(event.sessionId, event.seq);
  }
}

/** Collects a stream until `enough` says it has what it needs. */
async function collect(
  stream: (signal: AbortSignal) => AsyncGenerator<SessionEvent>,
  enough: (seen: readonly SessionEvent[]) => boolean,
): Promise<SessionEvent[]> {
  const stop = new AbortController();
  const seen: SessionEvent[] = [];
  for await (const event of stream(stop.signal)) {
    seen.push(event);
    if (enough(seen)) stop.abort();
  }
  return seen;
}

/**
 * A storm on `sessions`: each gets `perSession` submissions of its resolved call's result at
 * once, spread over the `writers` (connections, standing for replicas), half of them the same
 * payload (duplicate_ignored) and half another (conflict_rejected): many transactions per
 * session queued on its lock at once, each appending a `decision` event.
 */
async function storm(
  writers: readonly Database[],
  clock: Clock,
  sessions: readonly { sessionId: string; callId: string }[],
  perSession: number,
): Promise<void> {
  await Promise.all(
    sessions.flatMap(({ sessionId, callId }, s) =>
      Array.from({ length: perSession }, (_, i) =>
        apply(writers[(s + i) % writers.length]!, {
          sessionId,
          clock,
          input: {
            type: 'tool_result',
            callId,
            outcome: { type: 'result', value: i % 2 === 0 ? 'first' : `other ${i}` },
          },
        }),
      ),
    ),
  );
}

describe.each(testBackends(inject('databaseUrl')))('event order on $kind', (backend) => {
  const t = useTestDatabase(backend);
  const clock = testClock();

  it('keeps ids increasing along each session and the global stream, and resumes from any id, under a storm of transactions per session on two connections', async () => {
    const writers = [await t.connect(), await t.connect()];
    const sessions = await Promise.all(
      [0, 1, 2].map(async () => {
        const awaiting = await sessionAwaitingOneCall(t.database, clock);
        await apply(t.database, {
          ...awaiting,
          clock,
          input: {
            type: 'tool_result',
            callId: awaiting.callId,
            outcome: { type: 'result', value: 'first' },
          },
        });
        return awaiting;
      }),
    );
    const before = new Map(
      await Promise.all(
        sessions.map(
          async ({ sessionId }) =>
            [
              sessionId,
              await readSessionEvents(t.database.db, { sessionId, limit: 1000 }),
            ] as const,
        ),
      ),
    );
    const perSession = backend.kind === 'postgres' ? 24 : 6;
    const expected = new Map(
      sessions.map(({ sessionId }) => [sessionId, before.get(sessionId)!.length + perSession]),
    );
    const start = before.get(sessions[0]!.sessionId)![0]!.id;
    const reader = await t.connect();

    const followers = sessions.map(({ sessionId }) =>
      collect(
        (signal) => followEvents(reader, { sessionId, signal }),
        (seen) => seen.length === expected.get(sessionId),
      ),
    );
    const everyone = collect(
      (signal) => followEvents(reader, { afterId: null, signal, heldBackRetryMs: 5 }),
      (seen) =>
        sessions.every(
          ({ sessionId }) =>
            seen.filter((e) => e.sessionId === sessionId).length === expected.get(sessionId),
        ),
    );
    await storm(writers, clock, sessions, perSession);

    for (const [i, delivered] of (await Promise.all(followers)).entries()) {
      const { sessionId } = sessions[i]!;
      expectDeliveryOrder(delivered);
      // Resuming from any delivered id gives exactly the rest.
      for (const [at, event] of delivered.entries()) {
        const rest = await readSessionEvents(t.database.db, {
          sessionId,
          afterId: event.id,
          limit: 1000,
        });
        expect(rest.map((e) => e.id)).toEqual(delivered.slice(at + 1).map((e) => e.id));
      }
    }
    const global = (await everyone).filter((e) => expected.has(e.sessionId));
    expectDeliveryOrder(global);
    expect(global[0]!.id).toBe(start);
    for (const [at, event] of global.entries()) {
      if (at % 5 !== 0) continue;
      const page = await readAllEvents(t.database.db, { afterId: event.id, limit: 1000 });
      const rest = page.events.filter((e) => expected.has(e.sessionId));
      expect(rest.map((e) => e.id)).toEqual(global.slice(at + 1).map((e) => e.id));
    }
  });

  it('refuses, by a database constraint, an event that would sort before the one it follows', async () => {
    const { sessionId } = await sessionAwaitingOneCall(t.database, clock);
    const [last] = (await readSessionEvents(t.database.db, { sessionId, limit: 1000 })).slice(-1);
    const insert = t.database.db.execute(sql`
      INSERT INTO events (session_id, seq, type, data, at, tx)
      VALUES (${sessionId}, ${last!.seq + 1}, 'error', '{}'::jsonb, now(), '1'::xid8)`);
    const error: unknown = await insert.then(
      () => null,
      (e: unknown) => e,
    );
    expect(postgresErrorOf(error)).toEqual({
      code: '23514',
      constraint: 'events_follow_in_commit_order',
    });
  });
});
