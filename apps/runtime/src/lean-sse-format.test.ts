import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TRPCError } from '@trpc/server';
import { initTRPC, tracked } from '@trpc/server';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { observable } from '@trpc/server/observable';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { writeFramesByTick } from './event-stream-writes';
import { createLeanSseHandler } from './lean-sse';
import type { SseReply } from './testing/sse-reader';
import { getSse, isPing } from './testing/sse-reader';

/**
 * The parts of tRPC's SSE wire format the runtime's own subscriptions never show (untracked
 * events, `restore-id`, `return`, errors while streaming, pings), on a router of such cases
 * served by the lean event stream and by tRPC's standard handler, as the runtime serves them.
 */

const PING_MS = 40;
const t = initTRPC.create({
  // No stacks in the errors: their frames name the file that threw, which differs by design.
  isDev: false,
  sse: {
    ping: { enabled: true, intervalMs: PING_MS },
    client: { reconnectAfterInactivityMs: 1000 },
  },
});

/** Resolved when the `held` subscription of each request id lets go of what it holds. */
const released = new Map<string, () => void>();
const releases = new Map<string, Promise<void>>();
/** How many times the `unserializable` subscription's `finally` ran. */
let unserializableClosed = 0;

const cases = t.router({
  mixed: t.procedure.subscription(async function* () {
    yield await Promise.resolve('untracked first');
    yield tracked('1', { n: 1 });
    yield 'untracked after an id';
    yield tracked('2', { n: 2 });
  }),
  untracked: t.procedure.subscription(async function* () {
    yield await Promise.resolve({ n: 1 });
  }),
  echo: t.procedure.input(z.unknown()).subscription(async function* ({ input }) {
    yield await Promise.resolve(input ?? 'no input');
  }),
  unserializable: t.procedure.subscription(async function* () {
    try {
      yield await Promise.resolve('fine');
      yield { big: 1n };
      yield 'never';
    } finally {
      unserializableClosed += 1;
    }
  }),
  bulk: t.procedure.subscription(async function* () {
    // Pages of events far larger than a socket takes at once, a macrotask apart (as a backlog
    // read page by page): the socket drains while the producer is between two pages.
    const text = 'x'.repeat(2000);
    for (let page = 0; page < 5; page += 1) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      for (let n = 0; n < 100; n += 1) yield tracked(`${page}-${n}`, { text });
    }
  }),
  throws: t.procedure.subscription(async function* () {
    yield await Promise.resolve('first');
    throw new Error('broken');
  }),
  aborts: t.procedure.subscription(async function* () {
    yield await Promise.resolve('first');
    throw new DOMException('gone', 'AbortError');
  }),
  notIterable: t.procedure.subscription(() => 'a plain value' as unknown as AsyncIterable<never>),
  observed: t.procedure.subscription(() =>
    observable<number>((emit) => {
      emit.next(1);
      emit.next(2);
      emit.complete();
      return () => undefined;
    }),
  ),
  held: t.procedure.subscription(async function* ({ signal }) {
    const id = `held-${released.size}`;
    const done = new Promise<void>((resolve) => released.set(id, resolve));
    releases.set(id, done);
    try {
      yield tracked(id, 'holding');
      await new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve()));
    } finally {
      released.get(id)?.();
    }
  }),
  query: t.procedure.query(() => 'not a subscription'),
});

const STANDARD_ONLY = 'x-test-standard-handler';
const REQUEST_ID = 'x-test-request';
/** Each request's errors as the error handler was told them, in order. */
const errors = new Map<string, string[]>();
const onError = ({
  error,
  req,
  type,
  path,
}: {
  error: TRPCError;
  req: http.IncomingMessage;
  type: string;
  path: string | undefined;
}): void => {
  const id = String(req.headers[REQUEST_ID]);
  errors.set(id, [...(errors.get(id) ?? []), `${type} ${path} ${error.code} ${error.message}`]);
};

let server: http.Server;
let url = '';
/** Whether the lean event stream took each request, by id. */
const tookLean = new Map<string, boolean>();

beforeAll(async () => {
  const standard = createHTTPHandler({ router: cases, basePath: '/trpc/', onError });
  const lean = createLeanSseHandler({
    router: cases,
    basePath: '/trpc/',
    createContext: () => Promise.resolve({}),
    onError,
  });
  server = http.createServer((req, res) => {
    writeFramesByTick(res);
    const id = String(req.headers[REQUEST_ID]);
    const took = req.headers[STANDARD_ONLY] === undefined && lean(req, res);
    tookLean.set(id, took);
    if (!took) standard(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/trpc`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

let requests = 0;

/** What the comparison looks at: pings left out (they come on a timer, so timing decides them). */
interface Seen {
  readonly status: number;
  readonly headers: readonly [string, string][];
  readonly frames: readonly string[];
  readonly errors: readonly string[];
}

/** Opens `path` through one path; `declined` when the lean event stream leaves it to tRPC's. */
async function open(
  path: string,
  via: 'lean' | 'standard',
  headers: Record<string, string> = {},
  declined = false,
) {
  const id = `request-${(requests += 1)}`;
  const reply = await getSse(`${url}/${path}`, {
    accept: 'text/event-stream',
    [REQUEST_ID]: id,
    ...(via === 'standard' ? { [STANDARD_ONLY]: '1' } : {}),
    ...headers,
  });
  expect(tookLean.get(id)).toBe(via === 'lean' && !declined);
  return { id, reply };
}

async function readToEnd(opened: { id: string; reply: SseReply }): Promise<Seen> {
  const { id, reply } = opened;
  await reply.ended;
  return {
    status: reply.status,
    headers: reply.headers,
    frames: reply.frames.filter((frame) => !isPing(frame)),
    errors: errors.get(id) ?? [],
  };
}

async function both(path: string, headers: Record<string, string> = {}, declined = false) {
  const standard = await readToEnd(await open(path, 'standard', headers));
  const lean = await readToEnd(await open(path, 'lean', headers, declined));
  return { lean, standard };
}

/** The `event:` of each frame (`message` for one without). */
const kinds = (frames: readonly string[]): string[] =>
  frames.map((frame) => /^event: (.*)\n/.exec(frame)?.[1] ?? 'message');

const input = (value: unknown): string => `?input=${encodeURIComponent(JSON.stringify(value))}`;

describe('the lean event stream’s wire format', () => {
  it('sends untracked events without an id, and after an id with an empty one and a `restore-id`, then `return`', async () => {
    const { lean, standard } = await both('mixed');
    expect(lean).toEqual(standard);
    expect(standard.frames).toEqual([
      'event: connected\ndata: {"reconnectAfterInactivityMs":1000}\n\n\n',
      'data: "untracked first"\n\n\n',
      'data: {"n":1}\nid: 1\n\n\n',
      'data: "untracked after an id"\nid: \n\n\n',
      'event: restore-id\ndata: \nid: 1\n\n\n',
      'data: {"n":2}\nid: 2\n\n\n',
      'event: return\ndata: \n\n\n',
    ]);
  });

  it.each([
    ['a Last-Event-ID header', '', { 'last-event-id': 'from-header' }],
    ['a lastEventId parameter', '?lastEventId=from-param', {}],
    ['a Last-Event-Id parameter', '?Last-Event-Id=from-param', {}],
    ['an id with a newline, which cannot be sent back', '?lastEventId=a%0Ab', {}],
  ])('restores the id of %s after an untracked event', async (_name, query, headers) => {
    const { lean, standard } = await both(`untracked${query}`, headers);
    expect(lean).toEqual(standard);
    expect(standard.frames.at(-1)).toBe('event: return\ndata: \n\n\n');
  });

  it.each([
    ['an object', { n: 1 }],
    ['a number', 5],
    ['null', null],
    ['nothing', undefined],
  ])('puts the resumed id into an input that is %s as tRPC does', async (_name, value) => {
    const query = value === undefined ? '' : input(value);
    const { lean, standard } = await both(`echo${query}`, { 'last-event-id': 'resumed' });
    expect(lean).toEqual(standard);
  });

  it('ends with the error of an event it cannot serialize, having closed the events first', async () => {
    const { lean, standard } = await both('unserializable');
    expect(lean).toEqual(standard);
    expect(standard.frames.map((frame) => frame.split('\n')[0])).toEqual([
      'event: connected',
      'data: "fine"',
      'event: serialized-error',
    ]);
    expect(unserializableClosed).toBe(2);
  });

  it.each([
    ['an error while streaming', 'throws', false],
    ['a result that is no stream', 'notIterable', false],
    ['input that is not JSON', `echo?input=%7Bnot-json`, false],
    ['a query, asked for as a stream (left to tRPC)', 'query', true],
    ['a procedure that is not there (left to tRPC)', 'nothing', true],
  ])(
    'answers %s as the standard handler, telling its error handler the same',
    async (_name, path, declined) => {
      const { lean, standard } = await both(path, {}, declined);
      expect(lean).toEqual(standard);
      if (!declined) {
        expect(kinds(standard.frames).at(-1)).toBe('serialized-error');
        expect(standard.errors).not.toEqual([]);
      }
      // Refused before its stream, an error is told twice: as the call's, then as the stream's.
      if (path.startsWith('echo')) expect(standard.errors).toHaveLength(2);
    },
  );

  it('ends without `return` when the procedure throws an AbortError, as tRPC does', async () => {
    const { lean, standard } = await both('aborts');
    expect(lean).toEqual(standard);
    expect(standard.frames.at(-1)).toBe('data: "first"\n\n\n');
  });

  it('sends a backlog larger than the socket takes, waiting for it to drain, as tRPC does', async () => {
    const { lean, standard } = await both('bulk');
    expect(lean).toEqual(standard);
    expect(standard.frames).toHaveLength(502);
  });

  it('streams an observable as tRPC does', async () => {
    const { lean, standard } = await both('observed');
    expect(lean).toEqual(standard);
    expect(standard.frames).toHaveLength(4);
  });

  it('pings while no event comes, as tRPC does', async () => {
    const pings = async (via: 'lean' | 'standard'): Promise<string[]> => {
      const { reply } = await open('held', via);
      await reply.until(isPing);
      await reply.until((frame) => isPing(frame) && reply.frames.filter(isPing).length >= 2);
      reply.close();
      return reply.frames.filter(isPing);
    };
    const [lean, standard] = [await pings('lean'), await pings('standard')];
    expect(lean.slice(0, 2)).toEqual(standard.slice(0, 2));
    expect(lean[0]).toBe('event: ping\ndata: \n\n\n');
  });

  it('lets go of the procedure’s events when the client leaves', async () => {
    const { reply } = await open('held', 'lean');
    await reply.until((frame) => frame.includes('"holding"'));
    const id = /id: (held-\d+)/.exec(reply.frames.join(''))?.[1] ?? '';
    reply.close();
    await releases.get(id); // its `finally` ran: nothing of it is left
    expect(await reply.ended).toEqual({ complete: false });
  });

  it('ends a stream whose request is told `aborted` (a drain) with its closing chunk', async () => {
    const ended = new Promise<http.IncomingMessage>((resolve) => {
      server.prependOnceListener('request', (req: http.IncomingMessage) => resolve(req));
    });
    const { reply } = await open('held', 'lean');
    await reply.until((frame) => frame.includes('"holding"'));
    (await ended).emit('aborted');
    expect(await reply.ended).toEqual({ complete: true });
    expect(reply.frames.filter((frame) => !isPing(frame)).map((f) => f.split('\n')[0])).toEqual([
      'event: connected',
      'data: "holding"',
    ]);
  });
});
