import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidCursorError } from '@baton/db';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiToken } from '@baton/db';
import { createTokenStreams, REVOKED_MESSAGE } from './auth/token-streams';
import type { Context } from './trpc';
import { clientProcedure, INTERNAL_MESSAGE, publicProcedure, router } from './trpc';

/** A router of the cases, served over HTTP as the runtime serves its own. */
const cases = router({
  badCursor: publicProcedure.query(() => {
    throw new InvalidCursorError('cursor', 'garbage');
  }),
  badEventId: publicProcedure.subscription(async function* () {
    yield await Promise.resolve('first');
    throw new InvalidCursorError('lastEventId', 'garbage');
  }),
  failedQuery: publicProcedure.query(() => {
    throw new Error('Failed query: select token_hash from api_tokens params: 5ecret');
  }),
});

/** How to push an item to the last stream of each token name, and when each one was ended. */
const pushes = new Map<string, (item: string) => void>();
const ended = new Map<string, Promise<void>[]>();

/** Streams of a client token: one that follows `ctx.streamSignal`, one that ignores it. */
const streamCases = router({
  following: clientProcedure.subscription(async function* ({ ctx }) {
    const aborted = new Promise<void>((resolve) => {
      if (ctx.streamSignal?.aborted) resolve();
      else ctx.streamSignal?.addEventListener('abort', () => resolve(), { once: true });
    });
    ended.set(ctx.token.name, [...(ended.get(ctx.token.name) ?? []), aborted]);
    yield await Promise.resolve('first');
    await aborted;
  }),
  pushed: clientProcedure.subscription(async function* ({ ctx }) {
    const name = ctx.token.name;
    let stop!: () => void;
    ended.set(name, [...(ended.get(name) ?? []), new Promise<void>((resolve) => (stop = resolve))]);
    try {
      const queue: string[] = ['first'];
      let wake: (() => void) | null = null;
      pushes.set(name, (item) => {
        queue.push(item);
        wake?.();
      });
      for (;;) {
        while (queue.length > 0) yield queue.shift() ?? '';
        await new Promise<void>((resolve) => (wake = resolve));
      }
    } finally {
      stop();
    }
  }),
});

const streams = createTokenStreams(2);
/** A client token named by the bearer secret itself (`Bearer alice` is token `tok_alice`). */
const tokenOf = (authorization: string | undefined): ApiToken | null => {
  const name = authorization?.replace(/^Bearer /, '');
  if (!name) return null;
  const at = new Date(0).toISOString();
  return {
    id: `tok_${name}`,
    name,
    role: 'client',
    createdAt: at,
    lastUsedAt: null,
    revokedAt: null,
  };
};

/** Serves `cases` over HTTP as the runtime serves its own router; resolves its tRPC URL. */
async function serve(
  cases: Parameters<typeof createHTTPHandler>[0]['router'],
  context: (req: http.IncomingMessage) => Context,
): Promise<{ url: string; server: http.Server }> {
  const handler = createHTTPHandler({
    router: cases,
    basePath: '/trpc/',
    createContext: ({ req }) => context(req),
  });
  const server = http.createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/trpc` };
}

let servers: http.Server[] = [];
let url: string;
let streamsUrl: string;

beforeAll(async () => {
  const plain = await serve(
    cases,
    () => ({ token: null, tokenProblem: null }) as unknown as Context,
  );
  const guarded = await serve(
    streamCases,
    (req) =>
      ({
        token: tokenOf(req.headers.authorization),
        tokenProblem: null,
        rateLimiter: { allow: () => true },
        tokens: { streams },
      }) as unknown as Context,
  );
  servers = [plain.server, guarded.server];
  url = plain.url;
  streamsUrl = guarded.url;
});

afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

/** An SSE stream being read: its events so far as `event` → `data` pairs. */
interface OpenStream {
  readonly events: [string, string][];
  /** Resolves once an event `matches` accepts has come (or at once if one has). */
  until(matches: (event: string, data: string) => boolean): Promise<void>;
  /** Resolves with every event once the stream ends: an error, or the end of the response. */
  readonly done: Promise<[string, string][]>;
  close(): void;
}

/** Opens the SSE stream at `at` (a full URL), with `headers`. */
function openStream(at: string, headers: Record<string, string> = {}): OpenStream {
  const events: [string, string][] = [];
  const waiters: { matches: (e: string, d: string) => boolean; resolve: () => void }[] = [];
  let finish!: (events: [string, string][]) => void;
  let fail!: (error: Error) => void;
  const done = new Promise<[string, string][]>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const request = http.get(at, { headers: { accept: 'text/event-stream', ...headers } });
  request.on('error', (error) => fail(error));
  request.on('response', (response) => {
    let buffer = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      buffer += chunk;
      const blocks = buffer.split('\n\n');
      buffer = blocks.pop() ?? '';
      for (const block of blocks) {
        const line = (prefix: string) =>
          block
            .split('\n')
            .find((l) => l.startsWith(prefix))
            ?.slice(prefix.length)
            .trim();
        const event: [string, string] = [line('event:') ?? 'message', line('data:') ?? ''];
        events.push(event);
        for (const waiter of [...waiters]) {
          if (waiter.matches(...event)) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve();
          }
        }
        if (event[0] === 'serialized-error') {
          request.destroy();
          finish(events);
        }
      }
    });
    response.on('end', () => finish(events));
  });
  return {
    events,
    done,
    until(matches) {
      if (events.some(([e, d]) => matches(e, d))) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ matches, resolve }));
    },
    close: () => request.destroy(),
  };
}

/** The events of an SSE stream at `path` up to its first error, as `event` → `data` pairs. */
function eventsUntilError(path: string): Promise<[string, string][]> {
  return openStream(`${url}/${path}`).done;
}

/** The error an SSE stream ended with, as the client reads it. */
function errorOf(events: [string, string][]): { message?: string; data?: { code?: string } } {
  const [event, data] = events.at(-1) ?? [];
  if (event !== 'serialized-error') throw new Error(`the stream ended without an error: ${event}`);
  return JSON.parse(data ?? '{}') as { message?: string; data?: { code?: string } };
}

const streamOf = (path: string, name: string) =>
  openStream(`${streamsUrl}/${path}`, { authorization: `Bearer ${name}` });

describe('the API edge', () => {
  it('answers a cursor the database never handed out with BAD_REQUEST naming it, not a 500', async () => {
    const response = await fetch(`${url}/badCursor`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: {
        message: 'cursor: "garbage" is not a valid cursor',
        data: { code: 'BAD_REQUEST', httpStatus: 400 },
      },
    });
  });

  it('ends a subscription whose event id is not one of ours with BAD_REQUEST in its stream', async () => {
    const events = await eventsUntilError('badEventId');
    const [, error] = events.at(-1) ?? [];
    expect(events.map(([event]) => event)).toEqual(['connected', 'message', 'serialized-error']);
    expect(JSON.parse(error ?? '{}')).toMatchObject({
      message: 'lastEventId: "garbage" is not a valid lastEventId',
      data: { code: 'BAD_REQUEST', httpStatus: 400 },
    });
  });

  it('keeps an unexpected error’s message (SQL, parameters) out of the answer', async () => {
    const response = await fetch(`${url}/failedQuery`);
    expect(response.status).toBe(500);
    const body = await response.text();
    expect(JSON.parse(body)).toMatchObject({
      error: { message: INTERNAL_MESSAGE, data: { code: 'INTERNAL_SERVER_ERROR' } },
    });
    expect(body).not.toContain('5ecret');
    expect(body).not.toContain('select');
  });
});

describe('a subscription of a token', () => {
  it('ends with UNAUTHORIZED once the token is revoked, its procedure told through ctx.streamSignal', async () => {
    const stream = streamOf('following', 'revoked-follower');
    await stream.until((event) => event === 'message');
    streams.revoke('tok_revoked-follower');
    const error = errorOf(await stream.done);
    expect(error).toMatchObject({ message: REVOKED_MESSAGE, data: { code: 'UNAUTHORIZED' } });
  });

  it('delivers nothing produced after the revocation, even from a procedure that ignores it', async () => {
    const stream = streamOf('pushed', 'revoked-pusher');
    await stream.until((event) => event === 'message');
    pushes.get('revoked-pusher')?.('before');
    await stream.until((_, data) => data === '"before"');
    streams.revoke('tok_revoked-pusher');
    pushes.get('revoked-pusher')?.('after');
    const events = await stream.done;
    expect(events.map(([, data]) => data).filter((d) => d.startsWith('"'))).toEqual([
      '"first"',
      '"before"',
    ]);
    expect(errorOf(events).data?.code).toBe('UNAUTHORIZED');
    await ended.get('revoked-pusher')?.[0]; // and the procedure itself was ended
  });

  it('is refused with TOO_MANY_REQUESTS past the cap, and its slot is given back when one closes', async () => {
    const open = [streamOf('following', 'busy'), streamOf('following', 'busy')];
    await Promise.all(open.map((s) => s.until((event) => event === 'message')));
    const refused = errorOf(await streamOf('following', 'busy').done);
    expect(refused.data?.code).toBe('TOO_MANY_REQUESTS');
    expect(refused.message).toContain('at most 2');
    // Another token is not affected.
    const other = streamOf('following', 'idle');
    await other.until((event) => event === 'message');
    other.close();

    open[0]?.close();
    await ended.get('busy')?.[0]; // the server saw the client leave
    const again = streamOf('following', 'busy');
    await again.until((event) => event === 'message');
    again.close();
    open[1]?.close();
  });
});
