import type { SessionEvent } from '@baton/domain';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { Database } from './client';
import { createLocalEvents } from './local-events';
import { followEvents } from './repo/event-stream';
import { readSessionEvents } from './repo/events';
import { testBackends, useTestDatabase } from './testing/backends';
import type { Clock } from './testing/fixtures';
import { apply, newSession, stepDone, testClock } from './testing/fixtures';

/** The same database, counting the queries made through it (every read starts with `select`). */
function counting(database: Database): { database: Database; reads: () => number } {
  let reads = 0;
  const db = new Proxy(database.db, {
    get(target, key, receiver) {
      if (key === 'select') reads += 1;
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  return { database: { ...database, db }, reads: () => reads };
}

/**
 * The same database as another process sees it: its commits are announced by NOTIFY only, never
 * handed over in memory.
 */
const elsewhere = (database: Database): Database => ({
  ...database,
  localEvents: createLocalEvents(),
});

/** One user message and its plain answer: 6 events. */
async function round(database: Database, clock: Clock, sessionId: string, n: number) {
  const started = await apply(database, {
    sessionId,
    clock,
    input: { type: 'user_message', text: `question ${n}` },
  });
  await apply(database, { sessionId, clock, input: stepDone(started, `answer ${n}`) });
}

/** Follows the session from `afterId`, collecting into `seen`, until stopped. */
function follow(database: Database, sessionId: string, afterId: string | null = null) {
  const seen: SessionEvent[] = [];
  const stop = new AbortController();
  const waiting: { current: { count: number; done: () => void } | null } = { current: null };
  const done = (async () => {
    for await (const event of followEvents(database, { sessionId, afterId, signal: stop.signal })) {
      seen.push(event);
      if (waiting.current && seen.length >= waiting.current.count) waiting.current.done();
    }
  })();
  return {
    seen,
    /** Resolves once `count` events have been yielded in all. */
    until: (count: number) =>
      new Promise<void>((resolve) => {
        if (seen.length >= count) resolve();
        else waiting.current = { count, done: resolve };
      }),
    async stop() {
      stop.abort();
      await done;
    },
  };
}

const stored = async (database: Database, sessionId: string) =>
  readSessionEvents(database.db, { sessionId, limit: 10_000 });

/** A small deterministic PRNG (mulberry32), so a failing interleaving can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe.each(testBackends(inject('databaseUrl')))('a session stream on $kind', (backend) => {
  const t = useTestDatabase(backend);
  let clock: Clock;
  beforeAll(() => {
    clock = testClock();
  });

  it('hands a follower what this process commits without reading it back', async () => {
    const sessionId = await newSession(t.database, clock);
    const follower = counting(t.database);
    const stream = follow(follower.database, sessionId);
    await stream.until(1);
    const readsForBacklog = follower.reads();
    for (let n = 0; n < 5; n++) await round(t.database, clock, sessionId, n);
    const all = await stored(t.database, sessionId);
    await stream.until(all.length);
    await stream.stop();
    expect(stream.seen.map((e) => e.id)).toEqual(all.map((e) => e.id));
    expect(all.length).toBeGreaterThan(20);
    expect(follower.reads()).toBe(readsForBacklog);
  });

  it('reads what another process commits, in order and once, around what it is handed', async () => {
    const sessionId = await newSession(t.database, clock);
    const other = elsewhere(t.database);
    const follower = counting(t.database);
    const stream = follow(follower.database, sessionId);
    await round(other, clock, sessionId, 0);
    await round(t.database, clock, sessionId, 1);
    await round(other, clock, sessionId, 2);
    const all = await stored(t.database, sessionId);
    await stream.until(all.length);
    await stream.stop();
    expect(stream.seen.map((e) => e.id)).toEqual(all.map((e) => e.id));
    expect(follower.reads()).toBeGreaterThan(1);
  });

  it('delivers every event exactly once in order over random interleavings of local and foreign commits and resumptions', async () => {
    const seed = Number(process.env['STREAM_SEED'] ?? 20261126);
    const random = prng(seed);
    const sessionId = await newSession(t.database, clock);
    const other = elsewhere(t.database);
    const seen: SessionEvent[] = [];
    let stream = follow(t.database, sessionId);
    for (let n = 0; n < 24; n++) {
      const pick = random();
      await round(pick < 0.5 ? t.database : other, clock, sessionId, n);
      if (random() < 0.25) {
        // Drop and resume from the last event delivered, as a reconnecting client does.
        await stream.until(1);
        await stream.stop();
        seen.push(...stream.seen);
        stream = follow(t.database, sessionId, seen.at(-1)!.id);
      }
    }
    const all = await stored(t.database, sessionId);
    await stream.until(all.length - seen.length);
    await stream.stop();
    seen.push(...stream.seen);
    expect(
      seen.map((e) => e.seq),
      `seed ${seed}`,
    ).toEqual(all.map((e) => e.seq));
  });
});
