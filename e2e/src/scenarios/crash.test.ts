import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BatonClient } from '@baton/client';
import { createBatonClient } from '@baton/client';
import { backends } from '../harness/backends';
import type { RuntimeProcess } from '../harness/runtime-process';
import type { Scenario } from '../harness/scenario';
import { startScenario } from '../harness/scenario';
import type { SessionDriver } from '../harness/session-driver';
import {
  SOUND,
  auditOnce,
  driveSession,
  eventsOf,
  followStream,
  planScript,
  runStateAfter,
  sessionEvents,
} from '../harness/session-driver';

/** Long enough that the crash lands inside the step, whatever the machine's load. */
const SLOW_STEP_MS = 3000;
/** A short lease, so a dead holder's lease runs out within a second. */
const env = { BATON_LEASE_MS: '1000', BATON_PLAN_APPROVAL: 'auto' };
const script = planScript({ debugDelayMs: SLOW_STEP_MS });
const databaseUrl = inject('databaseUrl');

/**
 * Starts the plan in a new session and resolves once the debug subtask's slow step (its second)
 * is in flight and every request the driver made so far has its answer.
 */
async function untilSlowStep(driver: SessionDriver) {
  const debugStarted = await driver.stream.waitFor(
    (e) => e.type === 'subtask.status' && e.data.agent === 'debug' && e.data.status === 'running',
    'the debug subtask to start',
  );
  if (debugStarted.type !== 'subtask.status') throw new Error('unreachable');
  // The subtask's first step starts with it; the slow one is the next.
  const steps = () => driver.stream.events.filter(runStateAfter('model_step', debugStarted.seq));
  const slowStep = await driver.stream.waitFor(
    () => steps().length === 2,
    "the debug subtask's slow step",
  );
  await driver.settled();
  const answered = eventsOf(driver.stream.events, 'message.assistant');
  expect(answered.filter((e) => e.seq > slowStep.seq)).toEqual([]);
  return { debugSubtaskId: debugStarted.data.subtaskId, slowStep };
}

/** Resolves once the plan is completed and the session idle again. */
async function untilPlanDone(driver: SessionDriver): Promise<void> {
  const completed = await driver.stream.waitFor(
    (e) => e.type === 'plan.status' && e.data.status === 'completed',
    'the plan to complete',
  );
  await driver.stream.waitFor(runStateAfter('idle', completed.seq), 'the session to be idle');
  await driver.settled();
  driver.close();
  expect(driver.failures).toEqual([]);
}

/**
 * The checks of SPEC §3.5.2 once the plan is done: the slow step was taken over once, from the
 * first holder's fence, and answered once in its place; every call was dispatched once, no
 * message was written twice, and the client's stream is the whole stream read afresh.
 */
async function expectRecoveredOnce(
  client: BatonClient,
  driver: SessionDriver,
  debugSubtaskId: string,
): Promise<{ recoveredStepId: string }> {
  const sessionId = driver.stream.events[0]?.sessionId ?? '';
  const recovered = await client.decisions.list.query({ sessionId, kind: 'lease_recovered' });
  expect(recovered.items).toHaveLength(1);
  const [recovery] = recovered.items;
  expect(recovery).toMatchObject({
    subtaskId: debugSubtaskId,
    agent: 'debug',
    input: { fence: 1 },
  });
  const recoveredStepId = (recovery?.input as { stepId: string }).stepId;

  const details = await client.sessions.get.query({ sessionId });
  expect(details.session.run).toEqual({ status: 'idle' });
  const [plan] = details.plans;
  expect(plan?.status).toBe('completed');
  expect(plan?.subtasks.map((s) => [s.agent, s.status, s.steps])).toEqual([
    ['coder', 'completed', 3],
    ['coder', 'completed', 3],
    // The re-run is the same step again, not one more step.
    ['debug', 'completed', 3],
  ]);
  const debugAnswers = details.messages.filter(
    (m) => m.subtaskId === debugSubtaskId && m.body.role === 'assistant',
  );
  expect(debugAnswers.map((m) => m.stepId).indexOf(recoveredStepId)).toBe(1);

  const full = followStream(sessionEvents(client, sessionId));
  const last = driver.stream.events.at(-1);
  await full.waitFor((e) => e.id === last?.id, 'the full stream to catch up');
  full.close();
  expect(auditOnce(details, full.events)).toEqual(SOUND);
  expect(eventsOf(full.events, 'tool_call.dispatched')).toHaveLength(9);
  expect(driver.answers.map((a) => a.duplicate)).toEqual(Array.from({ length: 9 }, () => false));
  expect(driver.stream.events.map((e) => e.id)).toEqual(full.events.map((e) => e.id));
  return { recoveredStepId };
}

describe.each(backends(databaseUrl))('on $kind', ({ databaseUrl: url }) => {
  let scenario: Scenario;
  beforeAll(async () => {
    scenario = await startScenario({ databaseUrl: url, script, env });
  });
  afterAll(() => scenario.close());

  it('10. the runtime killed (SIGKILL) during a model step of a running plan: on restart the plan finishes, no call is dispatched twice, no message duplicated', async () => {
    const first = scenario.client;
    const session = await first.sessions.create.mutate({ title: 'crash' });
    const driver = driveSession({ sessionId: session.id, clients: () => first, subscriber: first });
    await first.messages.send.mutate({ sessionId: session.id, content: 'Add a greeting module.' });
    const { debugSubtaskId } = await untilSlowStep(driver);
    await scenario.runtime.kill();
    expect(scenario.runtime.child.signalCode).toBe('SIGKILL');

    // The restart: same database, same settings, a new port; the client reconnects there and
    // resumes its stream from the last event it received.
    const restarted = await scenario.startReplica();
    const client = createBatonClient({ url: restarted.url, token: scenario.tokens.client });
    driver.redirect(() => client, client);
    await untilPlanDone(driver);
    await expectRecoveredOnce(client, driver, debugSubtaskId);
    expect(restarted.logs.some((line) => line.includes('lease recovered'))).toBe(true);
  }, 240_000);
});

// Replicas share a PostgreSQL server; PGlite lives inside one process.
describe.each(backends(databaseUrl).filter((b) => b.kind === 'postgres'))(
  'replicas on $kind',
  ({ databaseUrl: url }) => {
    let scenario: Scenario;
    /** The replica that outlives the others: the client follows the stream there throughout. */
    let survivor: RuntimeProcess;
    let onSurvivor: BatonClient;
    beforeAll(async () => {
      scenario = await startScenario({ databaseUrl: url, script, env });
      survivor = await scenario.startReplica();
      onSurvivor = createBatonClient({ url: survivor.url, token: scenario.tokens.client });
    });
    afterAll(() => scenario.close());

    it('a replica killed during a model step: the other replica takes the expired lease over, without any restart', async () => {
      const doomed = scenario.client;
      const session = await onSurvivor.sessions.create.mutate({ title: 'replica crash' });
      // Every request goes to the doomed replica, so the slow step runs there.
      const driver = driveSession({
        sessionId: session.id,
        clients: () => doomed,
        subscriber: onSurvivor,
      });
      await doomed.messages.send.mutate({
        sessionId: session.id,
        content: 'Add a greeting module.',
      });
      const { debugSubtaskId } = await untilSlowStep(driver);
      await scenario.runtime.kill();
      driver.redirect(() => onSurvivor);
      await untilPlanDone(driver);
      await expectRecoveredOnce(onSurvivor, driver, debugSubtaskId);
      expect(survivor.logs.some((line) => line.includes('lease recovered'))).toBe(true);
    }, 240_000);

    it('a replica frozen (SIGSTOP) past its lease: the other re-runs the step; the frozen one, woken, commits nothing', async () => {
      const frozen = await scenario.startReplica();
      const onFrozen = createBatonClient({ url: frozen.url, token: scenario.tokens.client });
      const session = await onSurvivor.sessions.create.mutate({ title: 'replica frozen' });
      const driver = driveSession({
        sessionId: session.id,
        clients: () => onFrozen,
        subscriber: onSurvivor,
      });
      await onFrozen.messages.send.mutate({
        sessionId: session.id,
        content: 'Add a greeting module.',
      });
      const { debugSubtaskId } = await untilSlowStep(driver);
      frozen.child.kill('SIGSTOP');
      try {
        driver.redirect(() => onSurvivor);
        // The survivor takes the lease over and runs the step to its end; by then the frozen
        // replica's own run of it is over due too.
        const recovered = await driver.stream.waitFor(
          (e) => e.type === 'decision' && e.data.kind === 'lease_recovered',
          'the survivor to recover the lease',
        );
        if (recovered.type !== 'decision') throw new Error('unreachable');
        const { stepId } = recovered.data.input as { stepId: string };
        await driver.stream.waitFor(
          (e) => e.type === 'message.assistant' && e.data.stepId === stepId,
          'the re-run step to answer',
        );
      } finally {
        frozen.child.kill('SIGCONT');
      }
      // Woken, the frozen replica either commits its stale output, which is fenced, or finds its
      // lease lost first and stops: either way, nothing of it is kept.
      const outcome = await Promise.race([
        driver.stream
          .waitFor(
            (e) => e.type === 'decision' && e.data.kind === 'stale_worker_fenced',
            'the stale commit to be fenced',
          )
          .then(() => ({ fenced: true as const })),
        frozen
          .waitForLog((e) => e['msg'] === 'model step stopped')
          .then((entry) => ({ fenced: false as const, reason: String(entry['reason']) })),
      ]);
      await untilPlanDone(driver);
      const { recoveredStepId } = await expectRecoveredOnce(onSurvivor, driver, debugSubtaskId);
      const fenced = await onSurvivor.decisions.list.query({
        sessionId: session.id,
        kind: 'stale_worker_fenced',
      });
      if (outcome.fenced) {
        expect(fenced.items).toHaveLength(1);
        expect(fenced.items[0]?.input).toMatchObject({ stepId: recoveredStepId, fence: 1 });
      } else {
        expect(fenced.items).toEqual([]);
        expect(outcome.reason).toContain('lease lost');
      }
    }, 240_000);
  },
);
