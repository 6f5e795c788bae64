import type { Database } from '@baton/db';
import { createSession, migrate, openDatabase } from '@baton/db';
import type { SessionEvent } from '@baton/domain';
import { isTrackedEnvelope } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenStreams } from '../auth/token-streams';
import type { Context } from '../trpc';
import { router } from '../trpc';
import { eventsRouter } from './events';

let database: Database;
const operator = { id: 'tok_op', name: 'operator', role: 'operator' } as const;

beforeAll(async () => {
  database = await openDatabase({ dataDir: 'memory://' });
  await migrate(database);
});
afterAll(() => database.close());

/**
 * A caller of `events.*` as an operator; only what the procedure reaches is real. `onListening`
 * is called once the subscription listens for commits: it has chosen where it starts by then.
 */
function caller(signal: AbortSignal, onListening: () => void) {
  const listening: Database = {
    ...database,
    listen: async (...args) => {
      const unlisten = await database.listen(...args);
      onListening();
      return unlisten;
    },
  };
  const ctx = {
    database: listening,
    token: operator,
    tokenProblem: null,
    rateLimiter: { allow: () => true },
    tokens: { streams: createTokenStreams() },
  } as unknown as Context;
  return router({ events: eventsRouter }).createCaller(ctx, { signal }).events;
}

const newSession = async (title: string) =>
  (await createSession(database, { title, ctx: { now: Date.now() } })).session.id;

/** The first `count` events `events.all` yields for `input`. */
async function firstEvents(
  input: { lastEventId?: string; from?: 'start' | 'now' } | undefined,
  count: number,
  meanwhile: () => Promise<unknown> = () => Promise.resolve(),
): Promise<SessionEvent[]> {
  const stop = new AbortController();
  let listening!: () => void;
  const subscribed = new Promise<void>((resolve) => (listening = resolve));
  const stream = await caller(stop.signal, listening).all(input);
  const seen: SessionEvent[] = [];
  const reading = (async () => {
    // The server-side caller yields the tracked envelopes themselves: [id, event, marker].
    for await (const item of stream as AsyncIterable<unknown>) {
      if (!isTrackedEnvelope(item)) throw new Error('events.all yielded an untracked event');
      seen.push(item[1] as SessionEvent);
      if (seen.length === count) break;
    }
  })();
  await subscribed;
  await meanwhile();
  await reading;
  stop.abort();
  return seen;
}

describe('events.all', () => {
  it('starts from the first event of every session by default', async () => {
    const first = await newSession('first');
    await newSession('second');
    const seen = await firstEvents(undefined, 1);
    expect(seen.map((e) => [e.sessionId, e.type])).toEqual([[first, 'session.created']]);
  });

  it("from 'now' skips the history and yields what commits after it subscribed", async () => {
    let later = '';
    const seen = await firstEvents({ from: 'now' }, 1, async () => {
      later = await newSession('later');
    });
    expect(seen.map((e) => [e.sessionId, e.type])).toEqual([[later, 'session.created']]);
  });

  it("resumes after lastEventId even when asked for 'now' (a reconnect)", async () => {
    const [firstEvent] = await firstEvents(undefined, 1);
    const [next] = await firstEvents({ from: 'now', lastEventId: firstEvent!.id }, 1);
    expect(next!.id > firstEvent!.id).toBe(true);
    expect(next!.id).toBe((await firstEvents(undefined, 2))[1]!.id);
  });
});

describe('events.all input', () => {
  it('refuses a well-formed event id past the range of a transaction id as BAD_REQUEST, before any stream', async () => {
    const stop = new AbortController();
    for (const lastEventId of [
      '18446744073709551616-00000000000000000001',
      '99999999999999999999-00000000000000000001',
      'garbage',
    ]) {
      await expect(caller(stop.signal, () => undefined).all({ lastEventId })).rejects.toMatchObject(
        { code: 'BAD_REQUEST' },
      );
    }
  });
});
