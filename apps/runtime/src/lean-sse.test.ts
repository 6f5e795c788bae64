import type http from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { followEvents } from '@baton/db';
import type { SessionEvent } from '@baton/domain';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { REVOKED_MESSAGE } from './auth/token-streams';
import { readSettings } from './env';
import type * as LeanSse from './lean-sse';
import type { Runtime } from './server';
import { startRuntime } from './server';
import type { SseReply } from './testing/sse-reader';
import { getSse, hasId, isPing } from './testing/sse-reader';

/**
 * The lean event stream against tRPC's standard handler, on one runtime: each subscription is
 * opened twice, once as usual and once with a header that keeps it off the lean paths, and the two
 * answers must have the same status, the same headers in the same order, and the same frames,
 * byte for byte. Pings are left out of the comparison: tRPC sends one after 10 s without an event,
 * so whether one comes depends on timing only.
 */

const STANDARD_ONLY = 'x-test-standard-handler';
const REQUEST_ID = 'x-test-request';
const ADMIN = 'lean-sse-admin-token-0123456789ab';

/** The requests the lean event stream took, by their `x-test-request` id. */
const servedLean = vi.hoisted(() => new Set<string>());
vi.mock('./lean-sse', async (importOriginal) => {
  const original = await importOriginal<typeof LeanSse>();
  return {
    ...original,
    createLeanSseHandler: (options: Parameters<typeof original.createLeanSseHandler>[0]) => {
      const handler = original.createLeanSseHandler(options);
      return (req: http.IncomingMessage, res: http.ServerResponse) => {
        const took = handler(req, res);
        if (took) servedLean.add(String(req.headers[REQUEST_ID]));
        return took;
      };
    },
  };
});

const logger = pino({ level: 'silent' });
let runtime: Runtime;
let closed = false;
const tokens = { client: '', other: '', operator: '' };
let runSessionId = '';
/** The run session's events, in order: its history, complete (it ends idle). */
let runEvents: SessionEvent[] = [];

/** What the comparison looks at. */
interface Seen {
  readonly status: number;
  readonly headers: readonly [string, string][];
  readonly frames: readonly string[];
  /** Anything after the last frame (the whole body of an answer that is no event stream). */
  readonly rest: string;
}

/** How far to read: to the end of the answer, or until a frame `matches` (then leave). */
type ReadTo = 'end' | ((frame: string) => boolean);

/** One subscription request to `/trpc/<path>`. */
interface Open {
  readonly path: string;
  readonly token?: string | null;
  readonly headers?: Record<string, string>;
}

let requests = 0;

/**
 * Opens the stream through one path: `standard` keeps it off the lean paths; `lean` lets them
 * have it, and checks that the lean event stream took it (or, with `declined`, left it).
 */
async function open(call: Open, via: 'lean' | 'standard', declined = false): Promise<SseReply> {
  const token = call.token === undefined ? tokens.client : call.token;
  const id = `request-${(requests += 1)}`;
  const headers: Record<string, string> = { accept: 'text/event-stream', [REQUEST_ID]: id };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (via === 'standard') headers[STANDARD_ONLY] = '1';
  const reply = await getSse(`${runtime.url}/trpc/${call.path}`, { ...headers, ...call.headers });
  expect(servedLean.has(id), `served by the lean path: ${call.path}`).toBe(
    via === 'lean' && !declined,
  );
  return reply;
}

/** What a reply showed until `to`: the frames up to the one awaited (later ones may race in). */
async function seen(reply: SseReply, to: ReadTo): Promise<Seen> {
  if (to === 'end') await reply.ended;
  else await reply.until(to);
  reply.close();
  const frames = reply.frames.filter((frame) => !isPing(frame));
  const last = to === 'end' ? frames.length : frames.findIndex(to) + 1;
  const rest = to === 'end' ? reply.text().slice(reply.frames.join('').length) : '';
  return { status: reply.status, headers: reply.headers, frames: frames.slice(0, last), rest };
}

/** The same subscription through both paths, one after the other. */
async function both(
  call: Open,
  to: ReadTo,
  declined = false,
): Promise<{ lean: Seen; standard: Seen }> {
  const standard = await seen(await open(call, 'standard'), to);
  const lean = await seen(await open(call, 'lean', declined), to);
  return { lean, standard };
}

const events = (input: unknown, path = 'sessions.events'): string =>
  `${path}?input=${encodeURIComponent(JSON.stringify(input))}`;

/** The data of a frame's `data:` line, parsed. */
function dataOf(frame: string | undefined): unknown {
  const line = frame?.split('\n').find((l) => l.startsWith('data: '));
  return line ? JSON.parse(line.slice('data: '.length)) : undefined;
}

/** The `event:` of each frame (`message` for one without). */
const kinds = (frames: readonly string[]): string[] =>
  frames.map((frame) => /^event: (.*)\n/.exec(frame)?.[1] ?? 'message');

async function mutate<T>(path: string, input: unknown, token: string): Promise<T> {
  const response = await fetch(`${runtime.url}/trpc/${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  const body = (await response.json()) as { result?: { data: T } };
  if (!body.result) throw new Error(`${path} failed: ${JSON.stringify(body)}`);
  return body.result.data;
}

/** The events of a session up to the first that `last` accepts, waiting for them to commit. */
async function eventsUntil(
  sessionId: string,
  last: (event: SessionEvent) => boolean,
): Promise<SessionEvent[]> {
  const stop = new AbortController();
  const seenEvents: SessionEvent[] = [];
  try {
    for await (const event of followEvents(runtime.database, { sessionId, signal: stop.signal })) {
      seenEvents.push(event);
      if (last(event)) return seenEvents;
    }
  } finally {
    stop.abort();
  }
  throw new Error(`the events of ${sessionId} ended`);
}

const lastRunEvent = (): SessionEvent => runEvents.at(-1) as SessionEvent;

beforeAll(async () => {
  const script = join(mkdtempSync(join(tmpdir(), 'baton-lean-sse-')), 'script.json');
  writeFileSync(
    script,
    JSON.stringify({
      agents: {
        ask: [
          { toolCalls: [{ name: 'read_file', arguments: { path: 'README.md' } }] },
          { text: 'Read it.' },
        ],
      },
    }),
  );
  const settings = readSettings({
    BATON_DATA_DIR: 'memory://',
    BATON_PORT: '0',
    BATON_BOOTSTRAP_TOKEN: ADMIN,
    BATON_MODEL: `script:${script}`,
    BATON_MAX_STREAMS_PER_TOKEN: '3',
  });
  runtime = await startRuntime(settings, logger, {
    leanHttp: (req) => req.headers[STANDARD_ONLY] === undefined,
  });
  for (const [name, role] of [
    ['client', 'client'],
    ['other', 'client'],
    ['operator', 'operator'],
  ] as const) {
    tokens[name] = (await mutate<{ token: string }>('tokens.create', { name, role }, ADMIN)).token;
  }
  runSessionId = (await mutate<{ id: string }>('sessions.create', { agent: 'ask' }, tokens.client))
    .id;
  const dispatched = eventsUntil(runSessionId, (e) => e.type === 'tool_call.dispatched');
  const message = { sessionId: runSessionId, content: 'Go.', idempotencyKey: 'go' };
  await mutate('messages.send', message, tokens.client);
  const call = (await dispatched).at(-1);
  if (call?.type !== 'tool_call.dispatched') throw new Error('not a dispatch');
  const result = { sessionId: runSessionId, callId: call.data.callId, result: 'the readme' };
  await mutate('toolResults.submit', result, tokens.client);
  runEvents = await eventsUntil(
    runSessionId,
    (e) => e.type === 'run.state' && e.data.to === 'idle',
  );
});

afterAll(async () => {
  if (!closed) await runtime.close();
});

describe('the lean event stream', () => {
  it('sends a session’s events from the start as the standard handler does', async () => {
    const { lean, standard } = await both(
      { path: events({ sessionId: runSessionId }) },
      hasId(lastRunEvent().id),
    );
    expect(lean).toEqual(standard);
    expect(standard.status).toBe(200);
    expect(Object.fromEntries(standard.headers)).toMatchObject({
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
      vary: 'trpc-accept, accept',
      'transfer-encoding': 'chunked',
    });
    expect(standard.frames[0]).toBe(
      'event: connected\ndata: {"reconnectAfterInactivityMs":30000}\n\n\n',
    );
    expect(standard.frames.slice(1).map((frame) => (dataOf(frame) as SessionEvent).id)).toEqual(
      runEvents.map((event) => event.id),
    );
    expect(standard.frames[1]).toBe(
      `data: ${JSON.stringify(runEvents[0])}\nid: ${runEvents[0]?.id}\n\n\n`,
    );
  });

  const resumed = (): SessionEvent => runEvents[2] as SessionEvent;
  it.each([
    [
      'the input field',
      () => ({ path: events({ sessionId: runSessionId, lastEventId: resumed().id }) }),
    ],
    [
      'the Last-Event-ID header',
      () => ({
        path: events({ sessionId: runSessionId }),
        headers: { 'last-event-id': resumed().id },
      }),
    ],
    [
      'the lastEventId URL parameter',
      () => ({ path: `${events({ sessionId: runSessionId })}&lastEventId=${resumed().id}` }),
    ],
    [
      'the header, over a null in the input (as the bench sends it)',
      () => ({
        path: events({ sessionId: runSessionId, lastEventId: null }),
        headers: { 'last-event-id': resumed().id },
      }),
    ],
  ])('resumes after the event id of %s as the standard handler does', async (_name, call) => {
    const { lean, standard } = await both(call(), hasId(lastRunEvent().id));
    expect(lean).toEqual(standard);
    expect(standard.frames.slice(1).map((frame) => (dataOf(frame) as SessionEvent).id)).toEqual(
      runEvents.slice(3).map((event) => event.id),
    );
  });

  it('takes the token from the connection params of the URL as the standard handler does', async () => {
    const params = encodeURIComponent(JSON.stringify({ token: tokens.client }));
    const call = {
      path: `${events({ sessionId: runSessionId })}&connectionParams=${params}`,
      token: null,
    };
    const { lean, standard } = await both(call, hasId(lastRunEvent().id));
    expect(lean).toEqual(standard);
    expect(standard.frames).toHaveLength(runEvents.length + 1);
  });

  /** Requests refused before their stream: an error as the first event after `connected`. */
  const refused: [string, () => Open, string][] = [
    ['input zod refuses', () => ({ path: events({ sessionId: 5, extra: true }) }), 'BAD_REQUEST'],
    ['malformed input', () => ({ path: 'sessions.events?input=%7Bnot-json' }), 'BAD_REQUEST'],
    ['no input', () => ({ path: 'sessions.events' }), 'BAD_REQUEST'],
    [
      'an event id that is not one',
      () => ({ path: events({ sessionId: runSessionId, lastEventId: 'garbage' }) }),
      'BAD_REQUEST',
    ],
    [
      'an event id past the range of a transaction id',
      () => ({
        path: events({ sessionId: runSessionId }),
        headers: { 'last-event-id': '99999999999999999999-00000000000000000001' },
      }),
      'BAD_REQUEST',
    ],
    [
      'an unknown session',
      () => ({ path: events({ sessionId: 'ses_0000000000000000000000' }) }),
      'NOT_FOUND',
    ],
    [
      'another client’s session',
      () => ({ path: events({ sessionId: runSessionId }), token: tokens.other }),
      'NOT_FOUND',
    ],
    [
      'no token',
      () => ({ path: events({ sessionId: runSessionId }), token: null }),
      'UNAUTHORIZED',
    ],
    [
      'an unknown token',
      () => ({ path: events({ sessionId: runSessionId }), token: 'no-such-token' }),
      'UNAUTHORIZED',
    ],
    ['a client token on events.all', () => ({ path: events({}, 'events.all') }), 'FORBIDDEN'],
  ];
  it.each(refused)('refuses %s as the standard handler does', async (_name, call, code) => {
    const { lean, standard } = await both(call(), 'end');
    expect(lean).toEqual(standard);
    expect(standard.status).toBe(200);
    expect(kinds(standard.frames)).toEqual(['connected', 'serialized-error']);
    expect(dataOf(standard.frames[1])).toMatchObject({ data: { code } });
  });

  const declined: [string, () => Open][] = [
    [
      'connection params that are not JSON',
      () => ({ path: `${events({ sessionId: runSessionId })}&connectionParams=%7Bnot-json` }),
    ],
    ['a batch', () => ({ path: `${events({ sessionId: runSessionId })}&batch=1` })],
    [
      'a content type other than JSON (form data, refused on a GET)',
      () => ({
        path: events({ sessionId: runSessionId }),
        headers: { 'content-type': 'multipart/form-data; boundary=x' },
      }),
    ],
    ['a POST-only procedure', () => ({ path: events({}, 'sessions.create') })],
  ];
  it.each(declined)('leaves %s to the standard handler', async (_name, call) => {
    const { lean, standard } = await both(call(), 'end', true);
    expect(lean).toEqual(standard);
    expect(standard.frames).toEqual([]);
    expect(standard.status).toBeGreaterThanOrEqual(400);
  });

  it('sends every session’s events (events.all) as the standard handler does', async () => {
    const call = { path: events({ lastEventId: runEvents[0]?.id }, 'events.all'), token: ADMIN };
    const { lean, standard } = await both(call, hasId(lastRunEvent().id));
    expect(lean).toEqual(standard);
    expect(standard.frames.length).toBeGreaterThan(runEvents.length - 1);
  });

  it('sends only `connected` to a live feed with nothing new, as the standard handler does', async () => {
    const call = { path: events({ from: 'now' }, 'events.all'), token: tokens.operator };
    const { lean, standard } = await both(call, (frame) => frame.startsWith('event: connected'));
    expect(lean).toEqual(standard);
    expect(kinds(standard.frames)).toEqual(['connected']);
  });

  it('refuses a stream past the token’s cap as the standard handler does', async () => {
    const made = await mutate<{ token: string }>(
      'tokens.create',
      { name: 'busy', role: 'operator' },
      ADMIN,
    );
    const call = { path: events({ sessionId: runSessionId }), token: made.token };
    const held = [await open(call, 'lean'), await open(call, 'standard'), await open(call, 'lean')];
    await Promise.all(held.map((reply) => reply.until(hasId(lastRunEvent().id))));
    const { lean, standard } = await both(call, 'end');
    expect(lean).toEqual(standard);
    expect(dataOf(standard.frames[1])).toMatchObject({ data: { code: 'TOO_MANY_REQUESTS' } });
    for (const reply of held) reply.close();
  });

  it('ends a stream of a revoked token as the standard handler does', async () => {
    const replies: Record<'lean' | 'standard', SseReply | null> = { lean: null, standard: null };
    const ids: Record<'lean' | 'standard', string> = { lean: '', standard: '' };
    for (const via of ['standard', 'lean'] as const) {
      const made = await mutate<{ id: string; token: string }>(
        'tokens.create',
        { name: `revoked-${via}`, role: 'operator' },
        ADMIN,
      );
      ids[via] = made.id;
      const reply = await open(
        { path: events({ sessionId: runSessionId }), token: made.token },
        via,
      );
      await reply.until(hasId(lastRunEvent().id));
      replies[via] = reply;
    }
    const ended: Partial<Record<'lean' | 'standard', Seen>> = {};
    for (const via of ['standard', 'lean'] as const) {
      await mutate('tokens.revoke', { id: ids[via] }, ADMIN);
      ended[via] = await seen(replies[via] as SseReply, 'end');
    }
    expect(ended.lean).toEqual(ended.standard);
    expect(kinds(ended.standard?.frames ?? []).at(-1)).toBe('serialized-error');
    expect(dataOf(ended.standard?.frames.at(-1))).toMatchObject({
      message: REVOKED_MESSAGE,
      data: { code: 'UNAUTHORIZED' },
    });
    expect((await replies.lean?.ended)?.complete).toBe(true);
  });

  // Last: it stops the runtime.
  it('ends a stream between two frames when the runtime drains, as the standard handler does', async () => {
    const call = { path: events({ sessionId: runSessionId }) };
    const standard = await open(call, 'standard');
    const lean = await open(call, 'lean');
    await Promise.all([standard, lean].map((reply) => reply.until(hasId(lastRunEvent().id))));
    closed = true;
    await runtime.close();
    const [leanEnd, standardEnd] = await Promise.all([lean.ended, standard.ended]);
    expect(leanEnd).toEqual({ complete: true });
    expect(standardEnd).toEqual({ complete: true });
    expect(await seen(lean, 'end')).toEqual(await seen(standard, 'end'));
    // Neither `return` nor an error: the client reconnects, elsewhere, from its last event.
    expect(kinds(lean.frames).at(-1)).toBe('message');
  });
});
