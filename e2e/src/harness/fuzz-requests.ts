import fc from 'fast-check';
import type { RawRequest } from './fuzz-http';
import type { MinimumRole } from './fuzz-procedures';
import { hugeString, nastyString, toJsonText, wrongType, deepJson } from './fuzz-values';
import type { CallerKind, FuzzWorld } from './fuzz-world';
import { CALLERS } from './fuzz-world';

/**
 * Requests for the input fuzz: who sends them (a token of each role, or a bad one), as the typed
 * client would (one procedure, its input as JSON), or malformed at the HTTP level (methods,
 * batches, bodies, content types and headers no client sends).
 */

/** At most 300 characters of `text`, saying how long it was. */
export const clip = (text: string | undefined): string =>
  text === undefined
    ? '(none)'
    : text.length > 300
      ? `${text.slice(0, 300)}… (${text.length} chars)`
      : text;

/** Authorization headers that are not a bearer token the runtime could accept. */
export const malformedAuthorization: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'Bearer',
    'Bearer ',
    'Basic dXNlcjpwYXNzd29yZA==',
    'Token baton_abc',
    'Bearer two tokens',
    `Bearer ${'a'.repeat(8000)}`,
    'Bearer \u00ff\u00fe\u00e9',
    'Bearer\tx y',
  ),
  fc.string({ unit: fc.constantFrom(...'aZ9 _-=,;:\u00a0\u00e9\u00ff'), maxLength: 40 }),
);

/** Callers, weighted towards those the procedure admits, so its input parsing is exercised. */
export function callerFor(role: MinimumRole): fc.Arbitrary<CallerKind> {
  const admitted: Record<MinimumRole, readonly CallerKind[]> = {
    public: CALLERS,
    client: ['client', 'client', 'client', 'operator'],
    operator: ['operator', 'operator', 'admin'],
    admin: ['admin', 'admin', 'admin'],
  };
  return fc.oneof(
    { arbitrary: fc.constantFrom(...admitted[role]), weight: 3 },
    { arbitrary: fc.constantFrom(...CALLERS), weight: 2 },
  );
}

/** The `authorization` header of `caller` (none for `none`). */
export function authorization(
  world: FuzzWorld,
  caller: CallerKind,
  malformed: string,
): Record<string, string> {
  if (caller === 'none') return {};
  if (caller === 'malformed') return { authorization: malformed };
  return { authorization: `Bearer ${world.tokens[caller]}` };
}

/** The request the typed client would send for `input` (GET for queries and subscriptions). */
export function requestFor(
  path: string,
  type: string,
  headers: Record<string, string>,
  inputText: string | undefined,
): RawRequest {
  if (type === 'mutation') {
    return {
      method: 'POST',
      path,
      headers: { ...headers, 'content-type': 'application/json' },
      ...(inputText !== undefined ? { body: inputText } : {}),
    };
  }
  const query = inputText === undefined ? '' : `?input=${encodeURIComponent(inputText)}`;
  return {
    method: 'GET',
    path: `${path}${query}`,
    headers: type === 'subscription' ? { ...headers, accept: 'text/event-stream' } : headers,
  };
}

/**
 * `value` percent-encoded as UTF-8, except that a lone surrogate is encoded as the bytes UTF-8
 * would give it if it could (`%ED%A0%80` for U+D800): invalid UTF-8, as a hostile client sends.
 */
export function percentEncoded(value: string): string {
  return value.replace(/[\s\S]/gu, (char) => {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0xd800 || code > 0xdfff) return encodeURIComponent(char);
    const bytes = [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)];
    return bytes.map((b) => `%${b.toString(16).toUpperCase()}`).join('');
  });
}

/** Procedure paths no router has, some of them reaching for the prototype. */
const STRANGE_PATHS = [
  '',
  'nope',
  'sessions',
  'sessions.get.extra',
  '__proto__',
  'constructor',
  'toString',
  'sessions.__proto__',
  'sessions.hasOwnProperty',
  '_def',
  '..%2F..%2Fetc%2Fpasswd',
  'sessions.get%00',
  '%ZZ',
  'sessions.get,',
  ',,',
];

/** A well-formed id nobody has: no valid request with it can change a thing. */
const unknownId = fc.stringMatching(/^[0-9a-f]{8}$/).map((hex) => `fuzz_${hex}`);

/** Inputs naming only unknown things: refused, or (sessions.create, tokens.create) harmless. */
const unknownThingsInput = fc.record(
  {
    sessionId: unknownId,
    planId: unknownId,
    callId: unknownId,
    approvalId: unknownId,
    subtaskId: unknownId,
    id: unknownId,
    title: nastyString,
    name: nastyString,
    role: fc.constantFrom('client', 'admin', 'root'),
    content: nastyString,
    decision: fc.constantFrom('approve', 'reject', 'revise', 'edit', 'maybe'),
    result: nastyString,
    lastEventId: fc.constantFrom('garbage', '00000000000000000000-00000000000000000000'),
  },
  { requiredKeys: [] },
);

/** The text of a body or an `input` parameter: JSON of every shape, broken JSON, huge, deep. */
const inputText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: unknownThingsInput.map((i) => JSON.stringify(i)), weight: 3 },
  {
    arbitrary: fc
      .array(unknownThingsInput, { maxLength: 3 })
      .map((items) => JSON.stringify(Object.fromEntries(items.map((item, i) => [i, item])))),
    weight: 2,
  },
  { arbitrary: fc.oneof(wrongType, nastyString).map((v) => JSON.stringify(v)), weight: 1 },
  {
    arbitrary: fc.constantFrom('{bad', '{"0":', 'undefined', '', '[', '"\\ud800"', 'NaN', '1e999'),
    weight: 1,
  },
  { arbitrary: nastyString, weight: 1 },
  { arbitrary: deepJson.map((d) => toJsonText(d) ?? ''), weight: 1 },
);

/** Header values a client could send (Latin-1, no control characters but tab). */
const headerValue = fc.string({
  unit: fc.constantFrom(...'ab/;=, *-\t\u00e9\u00ff0'),
  maxLength: 30,
});

/** One malformed request at the HTTP level, by a given caller's `authorization` headers. */
export function malformedRequest(
  paths: readonly string[],
  headersOf: (caller: CallerKind, malformed: string) => Record<string, string>,
): fc.Arbitrary<{ request: RawRequest; shown: string }> {
  const path = fc.oneof(
    { arbitrary: fc.constantFrom(...paths), weight: 4 },
    {
      arbitrary: fc
        .array(fc.oneof(fc.constantFrom(...paths), fc.constantFrom(...STRANGE_PATHS)), {
          minLength: 2,
          maxLength: 4,
        })
        .map((p) => p.join(',')),
      weight: 2,
    },
    { arbitrary: fc.constantFrom(...STRANGE_PATHS), weight: 1 },
  );
  const query = fc
    .record(
      {
        batch: fc.constantFrom('1', 'true', '0', 'x'),
        input: inputText,
        connectionParams: fc.oneof(
          fc.constantFrom('{bad', '[1]', '{"token":123}', '{"token":null}', '{"token":"x"}'),
          nastyString,
        ),
        lastEventId: fc.constantFrom('garbage', '', '00000000000000000000-00000000000000000000'),
      },
      { requiredKeys: [] },
    )
    .chain((params) =>
      // Sometimes a raw tail no encoder would produce.
      fc
        .option(fc.constantFrom('%', '%ZZ', 'input=%E0%A4', 'input=%C0%80', '&&=', 'batch'), {
          freq: 4,
        })
        .map((raw) =>
          [
            ...Object.entries(params).map(([k, v]) => `${k}=${percentEncoded(v)}`),
            ...(raw ? [raw] : []),
          ].join('&'),
        ),
    );
  const headers = fc.record(
    {
      'content-type': fc.oneof(
        fc.constantFrom(
          'application/json',
          'text/plain',
          'multipart/form-data; boundary=x',
          'application/octet-stream',
          'application/json; charset=utf-16',
          'application/x-www-form-urlencoded',
        ),
        headerValue,
      ),
      accept: fc.constantFrom('text/event-stream', 'application/json', '*/*'),
      'trpc-accept': fc.oneof(fc.constant('application/jsonl'), headerValue),
      'last-event-id': fc.constantFrom('garbage', '00000000000000000000-00000000000000000000'),
    },
    { requiredKeys: [] },
  );
  const body = fc.oneof(
    { arbitrary: inputText, weight: 6 },
    { arbitrary: hugeString, weight: 1 },
    { arbitrary: fc.constant(undefined), weight: 2 },
  );
  return fc
    .record({
      method: fc.constantFrom(
        'GET',
        'GET',
        'POST',
        'POST',
        'PUT',
        'DELETE',
        'PATCH',
        'OPTIONS',
        'HEAD',
      ),
      path,
      query,
      headers,
      body,
      caller: fc.constantFrom(...CALLERS),
      malformed: malformedAuthorization,
    })
    .map(({ method, path: p, query: q, headers: h, body: b, caller, malformed }) => {
      const withBody = method !== 'GET' && method !== 'HEAD' && b !== undefined;
      const request: RawRequest = {
        method,
        path: q ? `${p}?${q}` : p,
        headers: { ...h, ...headersOf(caller, malformed) },
        ...(withBody ? { body: b } : {}),
      };
      return {
        request,
        shown: `${caller} ${method} /trpc/${clip(request.path)} ${JSON.stringify(h)} body=${clip(withBody ? b : undefined)}`,
      };
    });
}
