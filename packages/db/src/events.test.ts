import type { SessionEvent } from '@baton/domain';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { Database } from './client';
import { InvalidCursorError } from './errors';
import { followEvents } from './repo/event-stream';
import type { EventPage } from './repo/events';
import { readAllEvents, readSessionEvents } from './repo/events';
import { appendStepText } from './repo/step-text';
import { createSession } from './repo/sessions';
import { events } from './schema';
import { testBackends, useTestDatabase } from './testing/backends';
import type { Clock } from './testing/fixtures';
import { apply, eventInOpenTransaction, newSession, stepDone, testClock } from './testing/fixtures';

/** Drives one session through `rounds` runs of a user message and a plain answer. */
async function chat(database: Database, clock: Clock, sessionId: string, rounds: number) {
  for (let round = 0; round < rounds; round++) {
    const started = await apply(database, {
      sessionId,
      clock,
      input: { type: 'user_message', text: `question ${round}` },
    });
    await apply(database, { sessionId, clock, input: stepDone(started, `answer ${round}`) });
  }
}

/** The id of the last event of the global stream as of now. */
async function endOfStream(database: Database): Promise<string | null> {
  let last: string | null = null;
  for (;;) {
    const page = await readAllEventsNotHeldBack(database.db, { afterId: last, limit: 1000 });
    const final = page.events.at(-1);
    if (!final) return last;
    last = final.id;
  }
}

/**
 * A page of the global stream read once no transaction holds it back. The horizon is the
 * cluster's: a transaction of another test file, in another database, can hold it for a moment.
 */
async function readAllEventsNotHeldBack(
  db: Database['db'],
  args: { afterId: string | null; limit: number },
): Promise<EventPage> {
  for (;;) {
    const page = await readAllEvents(db, args);
    if (!page.heldBack) return page;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Expects events in stream order: increasing ids, each session's `seq` gap-free. */
function expectInOrder(seen: SessionEvent[]): void {
  const ids = seen.map((event) => event.id);
  expect([...ids].sort()).toEqual(ids);
  expect(new Set(ids).size).toBe(ids.length);
  const lastSeq = new Map<string, number>();
  for (const event of seen) {
    const previous = lastSeq.get(event.sessionId);
    if (previous !== undefined) expect(event.seq).toBe(previous + 1);
    lastSeq.set(event.sessionId, event.seq);
  }
}

describe.each(testBackends(inject('databaseUrl')))('events on $kind', (backend) => {
  const t = useTestDatabase(backend);
  let clock: Clock;
  beforeAll(() => {
    clock = testClock();
  });

  it('read one session in seq order and resume after any event id of it', async () => {
    const { db } = t.database;
    const sessionId = await newSession(t.database, clock);
    const other = await newSession(t.database, clock);
    await chat(t.database, clock, sessionId, 2);
    const all = await readSessionEvents(db, { sessionId, limit: 100 });
    expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i + 1));
    expect(all[0]).toMatchObject({ type: 'session.created', sessionId, seq: 1 });
    const firstPage = await readSessionEvents(db, { sessionId, limit: 3 });
    const rest = await readSessionEvents(db, { sessionId, afterId: firstPage[2]!.id, limit: 100 });
    expect([...firstPage, ...rest]).toEqual(all);
    const [otherEvent] = await readSessionEvents(db, { sessionId: other, limit: 1 });
    for (const afterId of ['nonsense', otherEvent!.id]) {
      await expect(readSessionEvents(db, { sessionId, afterId, limit: 1 })).rejects.toThrow(
        InvalidCursorError,
      );
    }
  });

  it("carry a step's streamed text while the step holds the session, and refuse it after", async () => {
    const sessionId = await newSession(t.database, clock);
    const started = await apply(t.database, {
      sessionId,
      clock,
      input: { type: 'user_message', text: 'stream' },
    });
    const step = stepDone(started, 'Hello world');
    if (step.type !== 'model_step_completed') throw new Error('not a step');
    const text = (chunk: string, fence = step.fence) =>
      appendStepText(t.database, {
        sessionId,
        stepId: step.stepId,
        fence,
        text: chunk,
        now: clock.now,
      });
    expect(await text('Hello', 2)).toBeNull();
    const delta = await text('Hello');
    expect(delta).toMatchObject({
      type: 'message.delta',
      data: { stepId: step.stepId, text: 'Hello' },
    });
    await apply(t.database, { sessionId, clock, input: step });
    expect(await text(' world')).toBeNull();
    const types = (await readSessionEvents(t.database.db, { sessionId, limit: 100 })).map(
      (e) => e.type,
    );
    expect(types.filter((type) => type === 'message.delta')).toHaveLength(1);
    expect(types.indexOf('message.delta')).toBeLessThan(types.indexOf('message.assistant'));
  });

  it('read every session in one order and resume after any event id', async () => {
    const { db } = t.database;
    const ids = [await newSession(t.database, clock), await newSession(t.database, clock)];
    for (const sessionId of ids) await chat(t.database, clock, sessionId, 1);
    const everything: SessionEvent[] = [];
    for (let afterId: string | null = null; ;) {
      const page = await readAllEventsNotHeldBack(db, { afterId, limit: 4 });
      if (page.events.length === 0) break;
      everything.push(...page.events);
      afterId = page.events.at(-1)!.id;
    }
    expect(everything).toHaveLength(await db.$count(events));
    expectInOrder(everything);
    await expect(readAllEvents(db, { afterId: 'nonsense', limit: 1 })).rejects.toThrow(
      InvalidCursorError,
    );
  });

  it('reach a subscriber that drops and resumes with its last event id exactly once, in order, while sessions keep committing', async () => {
    const writers = await Promise.all([1, 2, 3, 4].map(() => t.connect()));
    const sessionIds = await Promise.all(writers.map((writer) => newSession(writer, clock)));
    const start = await endOfStream(t.database);
    const seen: SessionEvent[] = [];
    let target = Infinity;
    let reached: () => void = () => undefined;
    const allSeen = new Promise<void>((resolve) => (reached = resolve));

    /** Follows on a connection of its own from `afterId`; drops after `dropAfter` events. */
    const follow = (afterId: string | null, dropAfter: number) => {
      const drop = new AbortController();
      const done = (async () => {
        const connection = await t.connect();
        let taken = 0;
        for await (const event of followEvents(connection, { afterId, signal: drop.signal })) {
          seen.push(event);
          if (seen.length >= target) reached();
          if (++taken === dropAfter) drop.abort();
        }
      })();
      return { drop, done };
    };

    const writing = Promise.all(writers.map((writer, i) => chat(writer, clock, sessionIds[i]!, 5)));
    await follow(start, 7).done;
    await follow(seen.at(-1)!.id, 11).done;
    const last = follow(seen.at(-1)!.id, Infinity);
    await writing;
    const committed: SessionEvent[] = [];
    for (let afterId = start; ;) {
      const page = await readAllEventsNotHeldBack(t.database.db, { afterId, limit: 1000 });
      if (page.events.length === 0) break;
      committed.push(...page.events);
      afterId = page.events.at(-1)!.id;
    }
    target = committed.length;
    if (seen.length >= target) reached();
    await allSeen;
    last.drop.abort();
    await last.done;
    expect(seen.map((e) => e.id)).toEqual(committed.map((e) => e.id));
    expectInOrder(seen);
    expect(new Set(seen.map((e) => e.sessionId))).toEqual(new Set(sessionIds));
  });

  // Needs separate connections or processes, which PGlite (one connection) does not have.
  if (backend.kind === 'postgres')
    it('deliver an event that commits after a later-numbered one before it, and skip neither', async () => {
      const slow = await t.connect();
      const fast = await t.connect();
      const reader = await t.connect();
      const slowSession = await newSession(slow, clock);
      const start = await endOfStream(reader);
      const { release, committed: slowCommit } = await eventInOpenTransaction(
        slow,
        clock,
        slowSession,
      );
      const fastCreated = await createSession(fast, { title: 'fast', ctx: { now: clock.now } });
      const [fastEvent] = fastCreated.events;

      const held = await readAllEvents(reader.db, { afterId: start, limit: 100 });
      expect(held).toEqual({ events: [], heldBack: true });
      const stop = new AbortController();
      const followed: SessionEvent[] = [];
      const following = (async () => {
        for await (const event of followEvents(reader, { afterId: start, signal: stop.signal })) {
          followed.push(event);
          if (event.id === fastEvent!.id) stop.abort();
        }
      })();
      release();
      await slowCommit;
      await following;
      expect(followed.map((e) => [e.sessionId, e.type])).toEqual([
        [slowSession, 'error'],
        [fastCreated.session.id, 'session.created'],
      ]);
      expect(followed[0]!.id < fastEvent!.id).toBe(true);
    });
});
