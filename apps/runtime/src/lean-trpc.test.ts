import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { followEvents } from '@baton/db';
import type { SessionEvent } from '@baton/domain';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSettings } from './env';
import { INTERNAL_MESSAGE } from './trpc';
import type { Runtime } from './server';
import { startRuntime } from './server';

/**
 * The lean path against tRPC's standard handler, on one runtime: each request is sent twice, once
 * as usual and once with a header that keeps it off the lean path, and the two answers must have
 * the same status, content type and body, byte for byte.
 */

const ADMIN = 'lean-path-admin-token-0123456789';
const MAX_RESULT_BYTES = 1000;
/** The runtime's body limit for this result limit (server.ts). */
const MAX_BODY_BYTES = MAX_RESULT_BYTES * 2 + 64 * 1024;
const STANDARD_ONLY = 'x-test-standard-handler';

/** One HTTP request to `/trpc/<path>`. */
interface Call {
  readonly method: 'GET' | 'POST';
  /** The path and query after `/trpc/`. */
  readonly path: string;
  readonly token?: string | null;
  readonly body?: string | Buffer;
  /** Default: `application/json` for a POST, none for a GET. */
  readonly contentType?: string;
  readonly headers?: Record<string, string>;
}

/** What the comparison looks at, and how the body was framed (which tells who answered). */
interface Answer {
  readonly status: number;
  readonly contentType: string | null;
  readonly text: string;
  /** The lean path sends a `content-length`; tRPC's standard handler streams its body. */
  readonly chunked: boolean;
}

interface LogEntry {
  readonly msg: string;
  readonly path?: string;
  readonly err?: { message: string };
}
const logs: LogEntry[] = [];
const logger = pino(
  { level: 'error' },
  { write: (line: string) => logs.push(JSON.parse(line) as LogEntry) },
);

let runtime: Runtime;
const tokens = { client: '', other: '', flooder: '' };
let quietSessionId = '';
let runSessionId = '';
let callId = '';

async function send(call: Call, via: 'lean' | 'standard'): Promise<Answer> {
  const token = call.token === undefined ? tokens.client : call.token;
  const headers: Record<string, string> = { ...call.headers };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const contentType = call.contentType ?? (call.method === 'POST' ? 'application/json' : null);
  if (contentType !== null) headers['content-type'] = contentType;
  if (via === 'standard') headers[STANDARD_ONLY] = '1';
  const response = await fetch(`${runtime.url}/trpc/${call.path}`, {
    method: call.method,
    headers,
    ...(call.body !== undefined ? { body: call.body } : {}),
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    text: await response.text(),
    chunked: response.headers.get('transfer-encoding') === 'chunked',
  };
}

const post = (path: string, input: unknown, call: Partial<Call> = {}): Call => ({
  method: 'POST',
  path,
  body: JSON.stringify(input),
  ...call,
});
const get = (path: string, input?: unknown, call: Partial<Call> = {}): Call => ({
  method: 'GET',
  path: input === undefined ? path : `${path}?input=${encodeURIComponent(JSON.stringify(input))}`,
  ...call,
});

/** The first event of a session that `matches`, waiting for it to be committed. */
async function eventOf(
  sessionId: string,
  matches: (event: SessionEvent) => boolean,
): Promise<SessionEvent> {
  const stop = new AbortController();
  try {
    for await (const event of followEvents(runtime.database, { sessionId, signal: stop.signal })) {
      if (matches(event)) return event;
    }
  } finally {
    stop.abort();
  }
  throw new Error(`the events of ${sessionId} ended`);
}

/** A mutation sent through the lean path, which must succeed; resolves its `result.data`. */
async function mutate<T>(path: string, input: unknown, token: string): Promise<T> {
  const answer = await send(post(path, input, { token }), 'lean');
  expect(answer, answer.text).toMatchObject({ status: 200, chunked: false });
  return (JSON.parse(answer.text) as { result: { data: T } }).result.data;
}

beforeAll(async () => {
  const script = join(mkdtempSync(join(tmpdir(), 'baton-lean-')), 'script.json');
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
    BATON_MAX_RESULT_BYTES: String(MAX_RESULT_BYTES),
    // Low enough to reach quickly, high enough for every other token's requests in this file.
    BATON_RATE_LIMIT: '150',
  });
  runtime = await startRuntime(settings, logger, {
    leanHttp: (req) => req.headers[STANDARD_ONLY] === undefined,
  });
  for (const name of ['client', 'other', 'flooder'] as const) {
    const made = await mutate<{ token: string }>('tokens.create', { name, role: 'client' }, ADMIN);
    tokens[name] = made.token;
  }
  const quiet = await mutate<{ id: string }>('sessions.create', { title: 'quiet' }, tokens.client);
  quietSessionId = quiet.id;
  const run = await mutate<{ id: string }>('sessions.create', { agent: 'ask' }, tokens.client);
  runSessionId = run.id;
  const dispatched = eventOf(runSessionId, (e) => e.type === 'tool_call.dispatched');
  const message = { sessionId: runSessionId, content: 'Go.', idempotencyKey: 'go' };
  await mutate('messages.send', message, tokens.client);
  const call = await dispatched;
  if (call.type !== 'tool_call.dispatched') throw new Error('not a dispatch');
  callId = call.data.callId;
  const submitted = await mutate<{ duplicate: boolean }>(
    'toolResults.submit',
    { sessionId: runSessionId, callId, result: 'the readme' },
    tokens.client,
  );
  expect(submitted.duplicate).toBe(false);
  await eventOf(runSessionId, (e) => e.type === 'run.state' && e.data.to === 'idle');
});

afterAll(async () => {
  await runtime.close();
});

/** Each request, and whether the lean path serves it (or leaves it to the standard handler). */
const table: [string, () => Call, 'lean' | 'standard'][] = [
  [
    'a mutation that succeeds (a message replayed by its idempotency key)',
    () => post('messages.send', { sessionId: runSessionId, content: 'Go.', idempotencyKey: 'go' }),
    'lean',
  ],
  [
    'a mutation that succeeds (a tool result sent again: a duplicate)',
    () => post('toolResults.submit', { sessionId: runSessionId, callId, result: 'the readme' }),
    'lean',
  ],
  [
    'a body with a byte order mark, sent as JSON with a charset',
    () => ({
      ...post('messages.send', { sessionId: runSessionId, content: 'Go.', idempotencyKey: 'go' }),
      body: Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from(
          JSON.stringify({ sessionId: runSessionId, content: 'Go.', idempotencyKey: 'go' }),
        ),
      ]),
      contentType: 'Application/JSON; charset=utf-8',
    }),
    'lean',
  ],
  ['a query with input', () => get('sessions.get', { sessionId: quietSessionId }), 'lean'],
  ['a query of a settled run', () => get('sessions.get', { sessionId: runSessionId }), 'lean'],
  ['a query without input or token', () => get('health', undefined, { token: null }), 'lean'],
  ['input zod refuses', () => post('sessions.create', { title: 5, extra: true }), 'lean'],
  [
    'input a refinement refuses',
    () => post('toolResults.submit', { sessionId: runSessionId, callId, result: 1, error: 'e' }),
    'lean',
  ],
  [
    'malformed JSON',
    () => ({ ...post('sessions.create', {}), body: '{"title": "unfinished' }),
    'lean',
  ],
  ['an empty body', () => ({ ...post('sessions.create', {}), body: '' }), 'lean'],
  ['a query’s malformed input', () => get('sessions.get?input=%7Bnot-json'), 'lean'],
  [
    'a body over the size limit',
    () => ({
      ...post('toolResults.submit', {}),
      body: JSON.stringify({ sessionId: runSessionId, callId, result: 'x'.repeat(MAX_BODY_BYTES) }),
    }),
    'lean',
  ],
  [
    'a body over the size limit, without a token',
    () => ({
      ...post('toolResults.submit', {}, { token: null }),
      body: JSON.stringify({ sessionId: runSessionId, callId, result: 'x'.repeat(MAX_BODY_BYTES) }),
    }),
    'lean',
  ],
  [
    'a result over BATON_MAX_RESULT_BYTES',
    () =>
      post('toolResults.submit', {
        sessionId: runSessionId,
        callId,
        result: 'x'.repeat(MAX_RESULT_BYTES + 1),
      }),
    'lean',
  ],
  ['no token', () => post('sessions.create', {}, { token: null }), 'lean'],
  ['an unknown token', () => post('sessions.create', {}, { token: 'no-such-token' }), 'lean'],
  [
    'another client’s session, written',
    () =>
      post(
        'toolResults.submit',
        { sessionId: runSessionId, callId, result: 'x' },
        { token: tokens.other },
      ),
    'lean',
  ],
  [
    'another client’s session, read',
    () => get('sessions.get', { sessionId: runSessionId }, { token: tokens.other }),
    'lean',
  ],
  ['a role too low', () => post('tokens.create', { name: 'x', role: 'admin' }), 'lean'],
  ['an unknown procedure', () => post('sessions.nothing', {}), 'standard'],
  ['a GET of a mutation', () => get('sessions.create', {}), 'standard'],
  ['a POST to a query', () => post('sessions.get', { sessionId: quietSessionId }), 'standard'],
  [
    'another content type',
    () => post('sessions.create', {}, { contentType: 'text/plain' }),
    'standard',
  ],
  [
    'a token in the URL of a mutation',
    () => post(`sessions.create?connectionParams=${encodeURIComponent('{"token":"x"}')}`, {}),
    'standard',
  ],
  ['a batch of one', () => post('sessions.create?batch=1', { 0: { title: 5 } }), 'standard'],
  [
    'a streamed answer asked of one call',
    () => post('sessions.create', {}, { headers: { 'trpc-accept': 'application/jsonl' } }),
    'standard',
  ],
];

describe('the lean tRPC path', () => {
  it.each(table)('answers %s as the standard handler does', async (_name, call, servedBy) => {
    const standard = await send(call(), 'standard');
    const lean = await send(call(), 'lean');
    expect({ ...lean, chunked: undefined }).toEqual({ ...standard, chunked: undefined });
    expect(standard.chunked).toBe(true);
    expect(lean.chunked).toBe(servedBy === 'standard');
  });

  it('answers a token over its rate limit as the standard handler does', async () => {
    const flood = async (via: 'lean' | 'standard'): Promise<Answer> => {
      for (;;) {
        const answer = await send(
          post('sessions.create', { title: 5 }, { token: tokens.flooder }),
          via,
        );
        if (answer.status !== 400) return answer;
      }
    };
    const standard = await flood('standard');
    const lean = await flood('lean');
    expect(standard.status).toBe(429);
    expect({ ...lean, chunked: false }).toEqual({ ...standard, chunked: false });
    expect(lean.chunked).toBe(false);
  });

  // Last: it closes the database.
  it('answers an unexpected failure as the standard handler does, and logs it the same', async () => {
    await runtime.database.close();
    const call = get('sessions.get', { sessionId: quietSessionId });
    const standard = await send(call, 'standard');
    const standardLogs = logs.splice(0).filter((entry) => entry.msg === 'request failed');
    const lean = await send(call, 'lean');
    const leanLogs = logs.splice(0).filter((entry) => entry.msg === 'request failed');

    expect(standard.status).toBe(500);
    expect(JSON.parse(standard.text)).toMatchObject({ error: { message: INTERNAL_MESSAGE } });
    expect({ ...lean, chunked: false }).toEqual({ ...standard, chunked: false });
    expect(lean.chunked).toBe(false);
    const seen = (entries: typeof logs) =>
      entries.map((entry) => ({ path: entry.path, message: entry.err?.message }));
    expect(standardLogs).toHaveLength(1);
    expect(seen(leanLogs)).toEqual(seen(standardLogs));
  });
});
