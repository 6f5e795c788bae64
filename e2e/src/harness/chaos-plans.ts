import type { BatonClient } from '@baton/client';
import type { ChaosDriver } from './chaos-driver';
import type { LoggedDecision } from './chaos-audit';
import { accountDecisions, decisionLog } from './chaos-audit';
import { auditOnce } from './audit';
import { eventsOf } from './event-data';
import { PLAN_RESULTS } from './plan-script';
import { followStream, sessionEvents } from './stream';

/** What the plan of `planScript()` adds up to once completed. */
export const PLAN_SHAPE = {
  /** Model steps answered: the orchestrator's plan and summary, three per subtask. */
  steps: 11,
  /** Client calls dispatched: three per subtask. */
  dispatched: 9,
  subtasks: [
    ['coder', 'completed', 3, PLAN_RESULTS.coder],
    ['coder', 'completed', 3, PLAN_RESULTS.coder],
    ['debug', 'completed', 3, PLAN_RESULTS.debug],
  ],
} as const;

/** A finished plan session's decision log and what is wrong with it (empty when sound). */
export interface PlanCheck {
  readonly sessionId: string;
  readonly problems: string[];
  readonly log: readonly LoggedDecision[];
}

/**
 * Checks a session whose run of `planScript()` is over and whose driver has settled, as
 * `client` (the session's owner) reads it afresh, then closes the driver: the plan completed,
 * subtask by subtask, each in three steps, subtask 2's context opening with subtask 1's result
 * and the session's agent never switched (SPEC §11.3); every call dispatched once, no message
 * written twice, the event stream gap-free and the same as what the driver received across its
 * reconnects (§3.5.2); every decision accounted for (§6).
 */
export async function checkPlanSession(
  client: BatonClient,
  driver: ChaosDriver,
): Promise<PlanCheck> {
  const { sessionId } = driver;
  const problems: string[] = driver.failures.map((f) => `client: ${f.message}`);
  const details = await client.sessions.get.query({ sessionId });
  // Both streams up to the last event: copies answered late append decisions after the idle.
  const last = (e: { seq: number }) => e.seq >= details.session.lastSeq;
  await driver.stream.waitFor(last, "the client's stream to catch up");
  driver.close();
  const full = followStream(sessionEvents(client, sessionId));
  await full.waitFor(last, 'the full stream to catch up');
  full.close();
  const events = full.events;
  const log = await decisionLog(client, sessionId);

  const expect = (what: string, actual: unknown, expected: unknown): void => {
    const [a, e] = [JSON.stringify(actual), JSON.stringify(expected)];
    if (a !== e) problems.push(`${what}: ${a}, expected ${e}`);
  };
  expect('run', details.session.run, { status: 'idle' });
  expect('session agent', details.session.agent, 'orchestrator');
  const [plan, ...others] = details.plans;
  expect('plans', [plan?.status, others.length], ['completed', 0]);
  expect(
    'subtasks',
    plan?.subtasks.map((s) => [s.agent, s.status, s.steps, s.result]),
    PLAN_SHAPE.subtasks,
  );
  const brief = details.messages.find((m) => m.subtaskId === plan?.subtasks[1]?.id);
  const briefText = brief?.body.role === 'user' ? brief.body.text : '';
  if (!briefText.includes(`(coder): ${PLAN_RESULTS.coder}`))
    problems.push(`subtask 2's context does not open with subtask 1's result: ${briefText}`);

  expect('agent switches', eventsOf(events, 'agent.switched').length, 0);
  expect(
    'calls dispatched',
    eventsOf(events, 'tool_call.dispatched').length,
    PLAN_SHAPE.dispatched,
  );
  expect('steps answered', eventsOf(events, 'message.assistant').length, PLAN_SHAPE.steps);
  expect(
    'the client stream (across reconnects) against the stream read afresh',
    driver.stream.events.map((e) => e.id),
    events.map((e) => e.id),
  );
  const audit: Record<string, readonly (string | number)[]> = { ...auditOnce(details, events) };
  for (const [field, found] of Object.entries(audit)) {
    if (found.length > 0) problems.push(`${field}: ${found.join(', ')}`);
  }
  const toolMessages = details.messages.flatMap((m) => (m.body.role === 'tool' ? [m.body] : []));
  const callIds = toolMessages.map((m) => m.callId);
  for (const id of callIds.filter((id, i) => callIds.indexOf(id) !== i))
    problems.push(`call ${id} has more than one tool message`);

  problems.push(
    ...accountDecisions({
      log,
      events,
      inputs: driver.inputs.values(),
      expected: { planAdvanced: 2, planCompleted: 1 },
    }),
  );
  return { sessionId, problems, log };
}

/**
 * Sends every driver's task and waits until every run has finished and every request has its
 * answer, together with `alongside` (the kills of a crash storm); rejects when `watch` sees
 * nothing happen for too long, and stops the watch either way.
 */
export async function runToTheEnd(
  drivers: readonly ChaosDriver[],
  watch: { readonly stalled: Promise<never>; stop(): void },
  alongside: readonly Promise<unknown>[] = [],
): Promise<void> {
  try {
    await Promise.race([
      Promise.all([
        ...alongside,
        ...drivers.map((d) => d.send('Add a greeting module.')),
        ...drivers.map((d) => d.finished),
      ]),
      watch.stalled,
    ]);
  } finally {
    watch.stop();
  }
  await Promise.all(drivers.map((d) => d.settled()));
}
