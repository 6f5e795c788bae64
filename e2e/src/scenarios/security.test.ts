import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BatonClient } from '@baton/client';
import { createBatonClient } from '@baton/client';
import type { SessionEvent } from '@baton/domain';
import { backends } from '../harness/backends';
import { waitForEvent } from '../harness/event-data';
import { recordEvents } from '../harness/events';
import { dataOf, openRawStream, streamError } from '../harness/raw-stream';
import { refusal, subscriptionRefusal } from '../harness/refusals';
import type { Scenario } from '../harness/scenario';
import { startScenario } from '../harness/scenario';

/**
 * Issue 11: what a token may do, for how long, and what a bad one costs — over HTTP, against the
 * runtime as users start it.
 */

/** Each `ask` session reads the README, then answers. */
const script = {
  agents: {
    ask: [
      { toolCalls: [{ name: 'read_file', arguments: { path: 'README.md' } }] },
      { text: 'Read it.' },
    ],
  },
};

/** Streams a token may hold open on one replica (apps/runtime/src/auth/token-streams.ts). */
const MAX_STREAMS = 32;
/** Failed token lookups an address gets per minute (apps/runtime/src/auth/token-cache.ts). */
const FAILED_LOOKUPS_PER_MINUTE = 60;

/** The runtime's own count of the queries it ran, from `GET /metrics`. */
async function queriesRun(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('baton_db_queries_total '));
  if (!line) throw new Error('baton_db_queries_total is not in /metrics');
  return Number(line.split(' ')[1]);
}

describe.each(backends(inject('databaseUrl')))('on $kind', ({ databaseUrl, kind }) => {
  let scenario: Scenario;
  beforeAll(async () => {
    scenario = await startScenario({ databaseUrl, script });
  });
  afterAll(() => scenario.close());

  /** A new token of `role`, with its client. */
  async function newToken(name: string, role: 'client' | 'operator') {
    const issued = await scenario.admin.tokens.create.mutate({ name, role });
    return {
      ...issued,
      client: createBatonClient({ url: scenario.runtime.url, token: issued.token }),
    };
  }

  /** A session of `client` whose run awaits the result of its read; all its events are out. */
  async function awaitingRead(client: BatonClient, title: string) {
    const session = await client.sessions.create.mutate({ title, agent: 'ask' });
    const recorder = recordEvents(client, session.id);
    await client.messages.send.mutate({ sessionId: session.id, content: 'Read the README.' });
    const { data: call } = await waitForEvent(recorder, 'tool_call.dispatched');
    await recorder.waitFor((e) => e.type === 'run.state' && e.data.to === 'awaiting_tools');
    recorder.close();
    return { sessionId: session.id, callId: call.callId };
  }

  /** Opens `sessions.events` of `sessionId` with `token`, on `url` (default: the runtime). */
  const sessionStream = (token: string, sessionId: string, url = scenario.runtime.url) =>
    openRawStream(url, 'sessions.events', { sessionId }, { token });

  const isEventWith =
    (matches: (event: SessionEvent) => boolean) => (frame: { event: string; data: string }) =>
      frame.event === 'message' && matches(JSON.parse(frame.data) as SessionEvent);

  it('11.1 a revoked token’s open streams end with UNAUTHORIZED and deliver nothing committed after; a reconnect is UNAUTHORIZED', async () => {
    const { admin, operator, runtime } = scenario;
    const owner = await newToken('streams, soon revoked', 'client');
    const dashboard = await newToken('dashboard, soon revoked', 'operator');
    const { sessionId } = await awaitingRead(owner.client, 'watched');
    const before = await operator.sessions.get.query({ sessionId });

    const ownStream = sessionStream(owner.token, sessionId);
    const allStream = openRawStream(
      runtime.url,
      'events.all',
      { from: 'now' },
      { token: dashboard.token },
    );
    await ownStream.until(isEventWith((e) => e.seq === before.session.lastSeq));
    // events.all from 'now' is live once it delivers what commits after it was opened.
    const marker = await operator.sessions.create.mutate({ title: 'marker' });
    await allStream.until(isEventWith((e) => e.sessionId === marker.id));

    await admin.tokens.revoke.mutate({ id: owner.id });
    await admin.tokens.revoke.mutate({ id: dashboard.id });
    // Commits right after the revocations: neither stream may carry them.
    await operator.sessions.cancel.mutate({ sessionId, reason: 'after the revocation' });
    const after = await operator.sessions.get.query({ sessionId });
    expect(after.session.lastSeq).toBeGreaterThan(before.session.lastSeq);

    const [ownFrames, allFrames] = await Promise.all([ownStream.ended, allStream.ended]);
    for (const frames of [ownFrames, allFrames]) {
      expect(streamError(frames)).toEqual({
        code: 'UNAUTHORIZED',
        message: expect.stringContaining('revoked') as string,
      });
    }
    expect(dataOf<SessionEvent>(ownFrames).at(-1)?.seq).toBe(before.session.lastSeq);
    expect(dataOf<SessionEvent>(allFrames).filter((e) => e.sessionId === sessionId)).toEqual([]);

    // Resuming where the stream stopped, as a client reconnects, is refused.
    const lastEventId = ownFrames.filter((f) => f.id).at(-1)?.id;
    const resumed = openRawStream(
      runtime.url,
      'sessions.events',
      { sessionId, lastEventId },
      {
        token: owner.token,
      },
    );
    expect(streamError(await resumed.ended).code).toBe('UNAUTHORIZED');
    const typed = await subscriptionRefusal((handlers) =>
      owner.client.sessions.events.subscribe({ sessionId }, handlers),
    );
    expect(typed.code).toBe('UNAUTHORIZED');
  });

  it.runIf(kind === 'postgres')(
    '11.1 a token revoked through one replica loses its streams on another at once',
    async () => {
      const { admin, operator } = scenario;
      const replica = await scenario.startReplica();
      const owner = await newToken('streams on a replica', 'client');
      const { sessionId } = await awaitingRead(owner.client, 'watched on a replica');
      const { session } = await operator.sessions.get.query({ sessionId });
      const stream = sessionStream(owner.token, sessionId, replica.url);
      await stream.until(isEventWith((e) => e.seq === session.lastSeq));
      await admin.tokens.revoke.mutate({ id: owner.id });
      expect(streamError(await stream.ended).code).toBe('UNAUTHORIZED');
      await replica.stop();
    },
  );

  it('11.2 an operator or admin writing into a client’s session is FORBIDDEN, records nothing and changes nothing', async () => {
    const { client, otherClient, operator, admin } = scenario;
    const { sessionId, callId } = await awaitingRead(client, 'a client’s own');
    const before = await operator.sessions.get.query({ sessionId });
    const decisionsBefore = await operator.decisions.list.query({ sessionId });

    const forbidden = await Promise.all([
      refusal(operator.messages.send.mutate({ sessionId, content: 'The operator speaking.' })),
      refusal(operator.toolResults.submit.mutate({ sessionId, callId, result: 'forged' })),
      // Not even an unknown call id: its refusal would be a decision record in the session.
      refusal(
        operator.toolResults.submit.mutate({ sessionId, callId: 'call_nobody_made', result: 'x' }),
      ),
      refusal(admin.messages.send.mutate({ sessionId, content: 'The admin speaking.' })),
      refusal(admin.toolResults.submit.mutate({ sessionId, callId, error: 'forged' })),
    ]);
    expect(forbidden.map((r) => r.code)).toEqual(Array(5).fill('FORBIDDEN'));
    expect(forbidden[0]?.message).toContain('client');
    // Another client still cannot tell the session exists.
    const foreign = await Promise.all([
      refusal(otherClient.messages.send.mutate({ sessionId, content: 'Let me in.' })),
      refusal(otherClient.toolResults.submit.mutate({ sessionId, callId, result: 'x' })),
    ]);
    expect(foreign.map((r) => r.code)).toEqual(['NOT_FOUND', 'NOT_FOUND']);

    expect(await operator.sessions.get.query({ sessionId })).toEqual(before);
    expect(await operator.decisions.list.query({ sessionId })).toEqual(decisionsBefore);
    // The owner's own result is taken as ever.
    const answer = await client.toolResults.submit.mutate({ sessionId, callId, result: '# Hi' });
    expect(answer.decision).toBe('continue_agent');
  });

  it('11.2 an operator writes into a session no client owns: one it created itself', async () => {
    const { operator } = scenario;
    const { sessionId, callId } = await awaitingRead(operator, 'the operator’s own');
    const answer = await operator.toolResults.submit.mutate({ sessionId, callId, result: '# Hi' });
    expect(answer.decision).toBe('continue_agent');
  });

  it('11.3 a token in the URL is UNAUTHORIZED for queries and mutations, naming the header; a subscription may carry it', async () => {
    const { runtime, tokens, client, operator } = scenario;
    const inUrl = (token: string) =>
      `connectionParams=${encodeURIComponent(JSON.stringify({ token }))}`;
    const answers = [
      await fetch(`${runtime.url}/trpc/sessions.list?${inUrl(tokens.client)}`),
      await fetch(`${runtime.url}/trpc/sessions.create?${inUrl(tokens.operator)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'created through a URL token' }),
      }),
      // A good header does not make a token in the URL acceptable.
      await fetch(`${runtime.url}/trpc/sessions.list?${inUrl(tokens.client)}`, {
        headers: { authorization: `Bearer ${tokens.client}` },
      }),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      const body = (await answer.json()) as { error: { message: string; data: { code: string } } };
      expect(body.error.data.code).toBe('UNAUTHORIZED');
      expect(body.error.message).toContain('Authorization: Bearer');
    }
    const made = await operator.sessions.list.query({ search: 'created through a URL token' });
    expect(made.items).toEqual([]);

    const { id: sessionId } = await client.sessions.create.mutate({ title: 'from a browser' });
    const stream = openRawStream(
      runtime.url,
      'sessions.events',
      { sessionId },
      {
        token: tokens.client,
        tokenInUrl: true,
      },
    );
    const first = await stream.until((f) => f.event === 'message');
    expect(JSON.parse(first.data)).toMatchObject({ sessionId, type: 'session.created' });
    stream.close();
  });

  it('11.4a a token holds at most 32 streams on a replica, TOO_MANY_REQUESTS past it; a stream that ends gives its slot back', async () => {
    const { client } = scenario;
    const streamer = await newToken('many streams', 'client');
    const { id: sessionId } = await streamer.client.sessions.create.mutate({ title: 'watched' });
    // Streams that end at once (a session it cannot see) hold no slot once over: more of them
    // in a row than the cap leave every slot free.
    for (let i = 0; i < MAX_STREAMS + 8; i++) {
      const refused = sessionStream(streamer.token, 'ses_nobody_has');
      expect(streamError(await refused.ended).code).toBe('NOT_FOUND');
    }
    const open = Array.from({ length: MAX_STREAMS }, () =>
      sessionStream(streamer.token, sessionId),
    );
    await Promise.all(open.map((s) => s.until((f) => f.event === 'message')));
    const over = streamError(await sessionStream(streamer.token, sessionId).ended);
    expect(over.code).toBe('TOO_MANY_REQUESTS');
    expect(over.message).toContain(`at most ${MAX_STREAMS}`);
    // Another token's streams are its own.
    const { id: own } = await client.sessions.create.mutate({ title: 'not crowded out' });
    const other = sessionStream(scenario.tokens.client, own);
    await other.until((f) => f.event === 'message');
    for (const stream of [...open, other]) stream.close();
  });

  it('11.5 tokens.list shows when a token was last used, written at most once a minute', async () => {
    const used = await newToken('used now and then', 'client');
    const listed = async () =>
      (await scenario.admin.tokens.list.query()).find((t) => t.id === used.id)?.lastUsedAt;
    expect(await listed()).toBeNull();
    const start = Date.now();
    await used.client.sessions.list.query({});
    // The write is sent before the use is answered, but on its own, off the request: look until
    // it has landed (each look is a request; no waiting in between).
    let seen: string | null | undefined = null;
    for (let look = 0; look < 100 && !seen; look++) seen = await listed();
    expect(Date.parse(seen ?? '')).toBeGreaterThanOrEqual(start - 1_000);
    await used.client.sessions.list.query({});
    await used.client.agents.list.query();
    expect(await listed()).toBe(seen);
  });
});

describe.each(backends(inject('databaseUrl')))(
  'a runtime under bad tokens and scrapes on $kind',
  ({ databaseUrl }) => {
    // A runtime of its own: the flood spends the test machine's address budget here.
    let scenario: Scenario;
    beforeAll(async () => {
      scenario = await startScenario({ databaseUrl, script });
    });
    afterAll(() => scenario.close());

    /** `sessions.list` with `token`: its HTTP status and tRPC code. */
    const ask = async (token: string) => {
      const answer = await fetch(`${scenario.runtime.url}/trpc/sessions.list`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = (await answer.json()) as { error?: { data: { code: string } } };
      return { status: answer.status, code: body.error?.data.code ?? 'OK' };
    };

    it('11.4b failed token lookups are limited per address: past the budget TOO_MANY_REQUESTS, with no query each', async () => {
      const { runtime } = scenario;
      // One bad token sent again and again is looked up once, then answered from memory.
      const repeated = await Promise.all(Array.from({ length: 30 }, () => ask('baton_same_guess')));
      expect(new Set(repeated.map((a) => a.code))).toEqual(new Set(['UNAUTHORIZED']));

      let guesses = 1;
      let answer = await ask('baton_guess_0');
      while (answer.code === 'UNAUTHORIZED' && guesses < 10 * FAILED_LOOKUPS_PER_MINUTE) {
        answer = await ask(`baton_guess_${guesses++}`);
      }
      expect(answer).toEqual({ status: 429, code: 'TOO_MANY_REQUESTS' });
      const exhaustedAt = performance.now();
      // The repeated guess spent one; the budget refills by one a second meanwhile.
      expect(guesses).toBeGreaterThanOrEqual(FAILED_LOOKUPS_PER_MINUTE - 1);
      expect(guesses).toBeLessThan(FAILED_LOOKUPS_PER_MINUTE + 20);

      const before = await queriesRun(runtime.url);
      const flood = await Promise.all(
        Array.from({ length: 100 }, (_, i) => ask(`baton_more_${i}`)),
      );
      // The budget refills meanwhile (one look-up a second): at most that many more get through,
      // however slowly a loaded machine serves the flood.
      const refilled = Math.ceil(
        ((performance.now() - exhaustedAt) / 60_000) * FAILED_LOOKUPS_PER_MINUTE,
      );
      expect(flood.filter((a) => a.code !== 'TOO_MANY_REQUESTS').length).toBeLessThanOrEqual(
        refilled + 1,
      );
      // A scrape may count sessions, a recovery sweep may run: nothing near a query per request.
      expect((await queriesRun(runtime.url)) - before).toBeLessThan(10);
    });

    it('11.4c a storm of /metrics scrapes costs one count of sessions, not one per scrape', async () => {
      const { runtime } = scenario;
      const before = await queriesRun(runtime.url);
      const scrapes = await Promise.all(
        Array.from({ length: 40 }, () => fetch(`${runtime.url}/metrics`).then((r) => r.text())),
      );
      for (const text of scrapes) expect(text).toContain('# TYPE baton_runs gauge');
      expect((await queriesRun(runtime.url)) - before).toBeLessThan(10);
    });
  },
);
