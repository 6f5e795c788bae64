import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidCursorError } from '@baton/db';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Context } from './trpc';
import { INTERNAL_MESSAGE, publicProcedure, router } from './trpc';

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

let server: http.Server;
let url: string;

beforeAll(async () => {
  const handler = createHTTPHandler({
    router: cases,
    basePath: '/trpc/',
    createContext: () => ({ token: null, tokenProblem: null }) as unknown as Context,
  });
  server = http.createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/trpc`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** The events of an SSE stream at `path` up to its first error, as `event` → `data` pairs. */
function eventsUntilError(path: string): Promise<[string, string][]> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${url}/${path}`, { headers: { accept: 'text/event-stream' } });
    request.on('error', reject);
    request.on('response', (response) => {
      const events: [string, string][] = [];
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
          events.push([line('event:') ?? 'message', line('data:') ?? '']);
          if (line('event:') === 'serialized-error') {
            request.destroy();
            resolve(events);
          }
        }
      });
      response.on('end', () => resolve(events));
    });
  });
}

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
