import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BatonClient } from '@baton/client';
import { createBatonClient } from '@baton/client';
import { backends } from '../harness/backends';
import type { RuntimeProcess } from '../harness/runtime-process';
import type { Scenario } from '../harness/scenario';
import { startScenario } from '../harness/scenario';
import {
  PLAN_RESULTS,
  SOUND,
  atRandom,
  auditOnce,
  driveSession,
  eventsOf,
  followStream,
  planScript,
  runStateAfter,
  sessionEvents,
} from '../harness/session-driver';

const databaseUrl = inject('databaseUrl');
// Replicas share one PostgreSQL server; PGlite lives inside one process, so there is no
// second replica to start on it and these scenarios exist only when DATABASE_URL is set.
const shared = backends(databaseUrl).filter((backend) => backend.kind === 'postgres');

it('runs the replica scenarios exactly when a PostgreSQL server is given (DATABASE_URL)', () => {
  expect(shared.length).toBe(databaseUrl ? 1 : 0);
});

const script = planScript();
// Scenario 4's session: one read, then the answer.
const ask = [
  { text: 'Let me look.', toolCalls: [{ name: 'read_file', arguments: { path: 'README.md' } }] },
  { text: 'It says hello.' },
];

/** `items` in random order. */
function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

describe.each(shared)('two replicas on $kind', ({ databaseUrl: url }) => {
  let scenario: Scenario;
  let replica: RuntimeProcess;
  /** The client token's client on each replica. */
  let clients: BatonClient[];
  /** How many requests went to each replica, for the spread check. */
  const sent = [0, 0];
  const anyReplica = (): BatonClient => {
    const pick = atRandom([0, 1])();
    sent[pick] = (sent[pick] ?? 0) + 1;
    return clients[pick] as BatonClient;
  };

  beforeAll(async () => {
    scenario = await startScenario({
      databaseUrl: url,
      script: { agents: { ...script.agents, ask } },
    });
    replica = await scenario.startReplica();
    clients = [
      scenario.client,
      createBatonClient({ url: replica.url, token: scenario.tokens.client }),
    ];
  });
  afterAll(() => scenario.close());

  it('are two processes with their own lease holder on the same PostgreSQL', async () => {
    expect(replica.url).not.toBe(scenario.runtime.url);
    expect(replica.child.pid).not.toBe(scenario.runtime.child.pid);
    const health = await Promise.all(clients.map((client) => client.health.query()));
    expect(health.map((h) => h.database)).toEqual(['postgres', 'postgres']);
    const holders = await Promise.all(
      [scenario.runtime, replica].map((p) =>
        p.waitForLog((e) => e['msg'] === 'Baton runtime listening'),
      ),
    );
    expect(new Set(holders.map((entry) => entry['holder'])).size).toBe(2);
  });

  it('4. a duplicate storm spread over both replicas: one continuation, nine duplicate_ignored, the same decision to all ten', async () => {
    const session = await anyReplica().sessions.create.mutate({ title: 'storm', agent: 'ask' });
    const stream = followStream(sessionEvents(anyReplica(), session.id));
    await anyReplica().messages.send.mutate({
      sessionId: session.id,
      content: 'What does the README say?',
    });
    const dispatched = await stream.waitFor(
      (e) => e.type === 'tool_call.dispatched',
      'the read_file call',
    );
    if (dispatched.type !== 'tool_call.dispatched') throw new Error('unreachable');

    // Ten identical submissions at once, five through each replica in random order, each its own
    // HTTP request (a client of its own, so none are batched together).
    const urls = [scenario.runtime.url, replica.url];
    const via = shuffled([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]).map((index) =>
      createBatonClient({ url: urls[index] as string, token: scenario.tokens.client }),
    );
    const answers = await Promise.all(
      via.map((client) =>
        client.toolResults.submit.mutate({
          sessionId: session.id,
          callId: dispatched.data.callId,
          result: 'hello',
        }),
      ),
    );
    expect(answers.filter((a) => !a.duplicate)).toEqual([
      { decision: 'continue_agent', duplicate: false },
    ]);
    expect(answers.filter((a) => a.duplicate)).toEqual(
      Array.from({ length: 9 }, () => ({ decision: 'continue_agent', duplicate: true })),
    );
    await stream.waitFor(runStateAfter('idle', dispatched.seq), 'the session to be idle');
    stream.close();

    const decisions = async (kind: 'duplicate_ignored' | 'continue_agent') =>
      (await anyReplica().decisions.list.query({ sessionId: session.id, kind })).items;
    expect(await decisions('duplicate_ignored')).toHaveLength(9);
    expect(await decisions('continue_agent')).toHaveLength(1);
    const details = await anyReplica().sessions.get.query({ sessionId: session.id });
    expect(details.messages.map((m) => m.body.role)).toEqual([
      'user',
      'assistant',
      'tool',
      'assistant',
    ]);
    expect(stream.events.filter(runStateAfter('model_step'))).toHaveLength(2);
    expect(eventsOf(stream.events, 'tool_call.resolved')).toHaveLength(1);
    expect(auditOnce(details, stream.events)).toEqual(SOUND);
  });

  it('3. a plan driven through both replicas at random completes: every call dispatched once, no agent switch', async () => {
    const session = await anyReplica().sessions.create.mutate({ title: 'plan on replicas' });
    const driver = driveSession({
      sessionId: session.id,
      clients: anyReplica,
      subscriber: anyReplica(),
    });
    await anyReplica().messages.send.mutate({
      sessionId: session.id,
      content: 'Add a greeting module.',
    });
    const completed = await driver.stream.waitFor(
      (e) => e.type === 'plan.status' && e.data.status === 'completed',
      'the plan to complete',
    );
    await driver.stream.waitFor(runStateAfter('idle', completed.seq), 'the session to be idle');
    await driver.settled();
    driver.close();
    expect(driver.failures).toEqual([]);
    // 1 plan approval + 3 answers and 2 approvals per subtask, spread over both replicas.
    expect(sent.every((count) => count > 0)).toBe(true);

    const details = await anyReplica().sessions.get.query({ sessionId: session.id });
    expect(details.session.run).toEqual({ status: 'idle' });
    expect(details.session.agent).toBe('orchestrator');
    const [plan] = details.plans;
    expect(plan?.status).toBe('completed');
    expect(plan?.subtasks.map((s) => [s.agent, s.status, s.result])).toEqual([
      ['coder', 'completed', PLAN_RESULTS.coder],
      ['coder', 'completed', PLAN_RESULTS.coder],
      ['debug', 'completed', PLAN_RESULTS.debug],
    ]);
    // Subtask 2's own context opens with subtask 1's result.
    const brief = details.messages.find((m) => m.subtaskId === plan?.subtasks[1]?.id);
    expect(brief?.body.role).toBe('user');
    expect(brief?.body.role === 'user' ? brief.body.text : '').toContain(
      `(coder): ${PLAN_RESULTS.coder}`,
    );
    expect(eventsOf(driver.stream.events, 'agent.switched')).toEqual([]);
    expect(eventsOf(driver.stream.events, 'tool_call.dispatched')).toHaveLength(9);
    expect(driver.answers.map((a) => a.duplicate)).toEqual(Array.from({ length: 9 }, () => false));
    expect(auditOnce(details, driver.stream.events)).toEqual(SOUND);
  });

  it('a subscriber on one replica receives the events of work committed through the other (LISTEN/NOTIFY across processes)', async () => {
    const [onA, onB] = clients as [BatonClient, BatonClient];
    const session = await onB.sessions.create.mutate({ title: 'across replicas', agent: 'ask' });
    const watcher = followStream(sessionEvents(onA, session.id));
    await watcher.waitFor(
      (e) => e.type === 'session.created',
      'the session to appear on replica A',
    );
    // Every request, and so every model step, goes through replica B.
    const driver = driveSession({ sessionId: session.id, clients: () => onB, subscriber: onB });
    await onB.messages.send.mutate({ sessionId: session.id, content: 'What does the README say?' });
    const answered = await watcher.waitFor(
      (e) => e.type === 'message.assistant' && e.data.text === 'It says hello.',
      'the final answer, on replica A',
    );
    await watcher.waitFor(
      runStateAfter('idle', answered.seq),
      'the session to be idle, on replica A',
    );
    await driver.stream.waitFor(
      runStateAfter('idle', answered.seq),
      'the session to be idle, on replica B',
    );
    await driver.settled();
    watcher.close();
    driver.close();
    expect(driver.failures).toEqual([]);
    expect(watcher.events.map((e) => e.id)).toEqual(driver.stream.events.map((e) => e.id));
    expect(watcher.events.map((e) => e.seq)).toEqual(watcher.events.map((_, i) => i + 1));
  });
});
