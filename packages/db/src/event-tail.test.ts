import type { SessionEvent } from '@baton/domain';
import { describe, expect, inject, it } from 'vitest';
import type { Database } from './client';
import { followEvents } from './repo/event-stream';
import { latestEventId } from './repo/event-tail';
import { readAllEvents } from './repo/events';
import { createSession } from './repo/sessions';
import { testBackends, useTestDatabase } from './testing/backends';
import { eventInOpenTransaction, newSession, testClock } from './testing/fixtures';

/**
 * The id of the last event the global stream delivers as of now, read page by page once no
 * transaction holds the stream back. The horizon is the cluster's: a transaction of a test in
 * another database can hold it for a moment.
 */
async function endOfStream(database: Database): Promise<string | null> {
  let last: string | null = null;
  for (;;) {
    const page = await readAllEvents(database.db, { afterId: last, limit: 1000 });
    if (page.heldBack) {
      await new Promise((resolve) => setImmediate(resolve));
      continue;
    }
    const final = page.events.at(-1);
    if (!final) return last;
    last = final.id;
  }
}

/**
 * `latestEventId` once it agrees with {@link endOfStream}: while another database's transaction
 * holds the horizon, both may stop short of this database's newest events. It must agree as soon
 * as nothing holds the horizon; a wrong tail never would, and the test times out.
 */
async function settledTail(database: Database): Promise<string | null> {
  for (;;) {
    const tail = await latestEventId(database.db);
    if (tail === (await endOfStream(database))) return tail;
  }
}

/** Follows the global stream from `afterId` until `count` events came; returns them. */
async function follow(database: Database, afterId: string | null, count: number) {
  const stop = new AbortController();
  const seen: SessionEvent[] = [];
  for await (const event of followEvents(database, { afterId, signal: stop.signal })) {
    seen.push(event);
    if (seen.length === count) stop.abort();
  }
  return seen;
}

describe.each(testBackends(inject('databaseUrl')))(
  'the tail of the event stream on $kind',
  (backend) => {
    const t = useTestDatabase(backend);
    const clock = testClock();

    it('is null while there are no events, then the last event the stream delivers', async () => {
      expect(await latestEventId(t.database.db)).toBeNull();
      for (let i = 0; i < 3; i++) await newSession(t.database, clock);
      const tail = await settledTail(t.database);
      expect(tail).not.toBeNull();
      const page = await readAllEvents(t.database.db, { afterId: tail, limit: 10 });
      expect(page.events).toEqual([]);
    });

    it('is where "from now" starts: following from it yields what commits later, and only that', async () => {
      await newSession(t.database, clock);
      const tail = await settledTail(t.database);
      const later = await Promise.all([1, 2].map(() => newSession(t.database, clock)));
      const seen = await follow(t.database, tail, 2);
      expect(seen.map((e) => [e.sessionId, e.type])).toEqual(
        later.map((id) => [id, 'session.created']),
      );
      expect((await readAllEvents(t.database.db, { afterId: tail, limit: 10 })).events).toEqual(
        seen,
      );
    });

    // Needs separate connections, which PGlite (one connection) does not have.
    if (backend.kind === 'postgres')
      it('stays before a transaction still running, so its events are not skipped when it commits', async () => {
        const slow = await t.connect();
        const fast = await t.connect();
        const reader = await t.connect();
        const slowSession = await newSession(slow, clock);
        const before = await endOfStream(reader);
        const { release, committed: slowCommit } = await eventInOpenTransaction(
          slow,
          clock,
          slowSession,
        );
        // Committed while the slow one runs: the newest row, but not yet "now" for a reader.
        const fastCreated = await createSession(fast, { title: 'fast', ctx: { now: clock.now } });

        // Held back by the slow transaction: not past `before` (and before it only while a
        // transaction of another database holds the cluster's horizon further back).
        const tail = await latestEventId(reader.db);
        expect(tail === before || (tail ?? '') < (before ?? '')).toBe(true);
        const stop = new AbortController();
        const following = (async () => {
          const seen: SessionEvent[] = [];
          for await (const event of followEvents(reader, { afterId: tail, signal: stop.signal })) {
            seen.push(event);
            if (event.id === fastCreated.events[0]!.id) stop.abort();
          }
          return seen;
        })();
        release();
        await slowCommit;
        const afterBefore = (await following).filter((e) => before === null || e.id > before);
        expect(afterBefore.map((e) => [e.sessionId, e.type])).toEqual([
          [slowSession, 'error'],
          [fastCreated.session.id, 'session.created'],
        ]);
      });
  },
);
