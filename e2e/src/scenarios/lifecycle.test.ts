import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { createBatonClient } from '@baton/client';
import { backends } from '../harness/backends';
import type { ScenarioDatabase } from '../harness/database';
import { createScenarioDatabase } from '../harness/database';
import type { RuntimeExit } from '../harness/lifecycle';
import { printedTokens, rawSessionEvents, runUntilExit } from '../harness/lifecycle';
import { startRuntimeProcess } from '../harness/runtime-process';
import type { Scenario } from '../harness/scenario';
import { scriptModel, startScenario } from '../harness/scenario';
import { followStream, sessionEvents } from '../harness/stream';

const databaseUrl = inject('databaseUrl');
// Two replicas, and a database that can be taken away, need a PostgreSQL server.
const shared = backends(databaseUrl).filter((backend) => backend.kind === 'postgres');

/**
 * A start that failed as a user should see it: a non-zero exit, one line on stderr naming what
 * to fix, no stack trace, and no token printed.
 */
function expectStartFailure(exit: RuntimeExit, says: RegExp): void {
  expect(exit.signal).toBeNull();
  expect(exit.code).not.toBe(0);
  const lines = exit.stderr.trimEnd().split('\n');
  expect(lines.length).toBeLessThanOrEqual(2);
  expect(lines[0]).toMatch(says);
  expect(exit.stderr).not.toMatch(/^\s+at /m);
  expect(printedTokens(exit.stdout)).toBeNull();
}

/** A port something else listens on, and how to free it. */
async function busyPort(): Promise<{ port: number; free: () => Promise<void> }> {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const { port } = blocker.address() as AddressInfo;
  return { port, free: () => new Promise((resolve) => blocker.close(() => resolve())) };
}

describe.each(backends(databaseUrl))('a first start on $kind', ({ databaseUrl: url }) => {
  let database: ScenarioDatabase;
  beforeEach(async () => {
    database = await createScenarioDatabase(url);
  });
  afterEach(() => database.drop());

  /** The next start prints the first tokens, and they work. */
  async function expectNextStartShowsTokens(): Promise<void> {
    const next = await startRuntimeProcess(database.env);
    try {
      const tokens = printedTokens(next.logs.join('\n'));
      expect(tokens).not.toBeNull();
      const client = createBatonClient({ url: next.url, token: tokens?.client ?? '' });
      expect((await client.sessions.list.query({})).items).toEqual([]);
    } finally {
      await next.stop();
    }
  }

  it('with a model spec that names no provider stops, naming BATON_MODEL, before it makes any token; the next start shows them', async () => {
    const exit = await runUntilExit({ ...database.env, BATON_MODEL: 'gpt-4o' });
    expectStartFailure(exit, /^Baton cannot start: BATON_MODEL: Unknown model "gpt-4o"/);
    await expectNextStartShowsTokens();
  });

  it('on a port already in use stops, naming BATON_PORT, before it makes any token; the next start shows them', async () => {
    const busy = await busyPort();
    try {
      const exit = await runUntilExit({ ...database.env, BATON_PORT: String(busy.port) });
      expectStartFailure(
        exit,
        new RegExp(`^Baton cannot start: BATON_PORT: port ${busy.port} .* already in use`),
      );
    } finally {
      await busy.free();
    }
    await expectNextStartShowsTokens();
  });
});

describe('a start with a database it cannot use', () => {
  it('stops on a DATABASE_URL that is not PostgreSQL, naming it', async () => {
    const exit = await runUntilExit({ DATABASE_URL: 'mysql://root@127.0.0.1:3306/baton' });
    expectStartFailure(exit, /^Baton cannot start: DATABASE_URL: must be a PostgreSQL URL/);
  });

  it('stops on a PostgreSQL server that refuses connections, naming DATABASE_URL', async () => {
    const exit = await runUntilExit({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/x' });
    expectStartFailure(
      exit,
      /^Baton cannot start: DATABASE_URL: .*127\.0\.0\.1:1 refused the connection/,
    );
  });
});

describe.each(shared)('readiness on $kind', ({ databaseUrl: url }) => {
  it('GET /readyz answers 200 while the database answers and 503 with a reason once it is gone; GET /healthz stays 200', async () => {
    const database = await createScenarioDatabase(url);
    const runtime = await startRuntimeProcess(database.env);
    try {
      const ready = await fetch(`${runtime.url}/readyz`);
      expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready' }]);
      // Dropped WITH (FORCE): the runtime's connections are ended and cannot come back.
      await database.drop();
      const gone = await fetch(`${runtime.url}/readyz`);
      expect(gone.status).toBe(503);
      expect(await gone.json()).toEqual({
        status: 'unavailable',
        reason: expect.stringMatching(/^the database/) as unknown,
      });
      expect((await fetch(`${runtime.url}/healthz`)).status).toBe(200);
    } finally {
      await runtime.kill();
    }
  });
});

/** What became of a request sent to a draining runtime: anything but no answer at all. */
async function outcomeOf(request: Promise<Response>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<string>((resolve) => (timer = setTimeout(resolve, 10_000, 'hung')));
  const answered = request.then(
    (response) => `answered ${response.status}`,
    (error: Error) => `refused (${String((error.cause as { code?: string } | undefined)?.code)})`,
  );
  const outcome = await Promise.race([answered, hung]);
  clearTimeout(timer);
  return outcome;
}

describe.each(shared)('stopping on $kind', ({ databaseUrl: url }) => {
  let scenario: Scenario;
  afterEach(() => scenario.close());

  it('SIGTERM: A ends its event stream between two frames, does not leave a request hanging, releases the lease of its step in flight, and B resumes the step long before the lease would run out', async () => {
    // A's model takes two minutes; B's answers at once. The lease is a minute, and the recovery
    // sweeps run every 30 s: only the released lease explains a resume within seconds.
    const slow = { agents: { orchestrator: [{ text: 'Slowly done.', delayMs: 120_000 }] } };
    const quick = { agents: { orchestrator: [{ text: 'Done.' }] } };
    scenario = await startScenario({
      databaseUrl: url,
      script: slow,
      env: { BATON_LEASE_MS: '60000', BATON_DRAIN_MS: '1000' },
    });
    const a = scenario.runtime;
    const b = await scenario.startReplica({ BATON_MODEL: scriptModel(quick) });
    const onB = createBatonClient({ url: b.url, token: scenario.tokens.client });
    const session = await scenario.client.sessions.create.mutate({ title: 'drain' });
    const onBStream = followStream(sessionEvents(onB, session.id));
    const onAStream = rawSessionEvents(a.url, scenario.tokens.client, session.id);

    // Sent to A, the message starts the step there, under A's lease.
    await scenario.client.messages.send.mutate({ sessionId: session.id, content: 'Say hello.' });
    const started = await onBStream.waitFor(
      (e) => e.type === 'run.state' && e.data.to === 'model_step',
      'the step to start on A',
    );
    await onAStream.waitForFrame((frame) => frame.includes(`"id":"${started.id}"`));

    const sigterm = Date.now();
    a.child.kill('SIGTERM');
    await a.waitForLog((entry) => entry['msg'] === 'draining');
    const lateRequest = outcomeOf(
      fetch(`${a.url}/trpc/agents.list`, {
        headers: { authorization: `Bearer ${scenario.tokens.client}` },
      }),
    );

    const recovered = await onBStream.waitFor(
      (e) => e.type === 'decision' && e.data.kind === 'lease_recovered',
      'B to take the step over',
    );
    const resumedMs = Date.now() - sigterm;
    await onBStream.waitFor(
      (e) => e.type === 'run.state' && e.data.to === 'idle' && e.seq > recovered.seq,
      'the session to be idle',
    );
    const ended = await onAStream.ended;
    await new Promise<void>((resolve) =>
      a.child.exitCode === null ? a.child.once('exit', () => resolve()) : resolve(),
    );
    const exitedMs = Date.now() - sigterm;
    onBStream.close();
    console.info(
      `drain: B resumed A's step ${resumedMs} ms after SIGTERM; A's event stream ended after ` +
        `${ended.at - sigterm} ms; A exited after ${exitedMs} ms; a request after SIGTERM: ${await lateRequest}`,
    );

    expect(resumedMs).toBeLessThan(10_000);
    if (recovered.type !== 'decision') throw new Error('unreachable');
    expect(recovered.data.input).toMatchObject({ fence: 1 });
    const details = await onB.sessions.get.query({ sessionId: session.id });
    expect(details.session.run).toEqual({ status: 'idle' });
    expect(details.messages.filter((m) => m.body.role === 'assistant')).toHaveLength(1);

    // The stream ended, not cut, and after a whole frame: every frame it sent is complete.
    expect(ended.how).toBe('end');
    expect(onAStream.text().endsWith('\n\n')).toBe(true);
    // At once, not after the drain time, which B's resume waited for.
    expect(ended.at - sigterm).toBeLessThan(resumedMs);
    expect(await lateRequest).toMatch(/^(refused|answered (503|200))/);
    expect(a.child.exitCode).toBe(0);
  }, 120_000);
});
