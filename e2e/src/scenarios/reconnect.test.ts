import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { SessionEvent } from '@baton/domain';
import { backends } from '../harness/backends';
import type { Scenario } from '../harness/scenario';
import { startScenario } from '../harness/scenario';
import type { EventStream, SessionDriver } from '../harness/session-driver';
import {
  allEvents,
  driveSession,
  eventsOf,
  followStream,
  planScript,
  runStateAfter,
  sessionEvents,
} from '../harness/session-driver';

const isSubtaskRunning =
  (index: number, sessionId?: string) =>
  (event: SessionEvent): boolean =>
    (sessionId === undefined || event.sessionId === sessionId) &&
    event.type === 'subtask.status' &&
    event.data.status === 'running' &&
    ordinal(event) === index;

/** Which subtask of its plan a `subtask.status` event is about (by the plan's creation event). */
const subtaskIndexes = new Map<string, number>();
const ordinal = (event: Extract<SessionEvent, { type: 'subtask.status' }>): number =>
  subtaskIndexes.get(event.data.subtaskId) ?? -1;
const learnPlan = (events: readonly SessionEvent[]): void => {
  for (const created of eventsOf(events, 'plan.created')) {
    created.data.subtasks.forEach((s, i) => subtaskIndexes.set(s.subtaskId, i));
  }
};

/** Resolves once `driver`'s session has finished its plan and is idle. */
async function planFinished(driver: SessionDriver): Promise<SessionEvent> {
  const completed = await driver.stream.waitFor(
    (e) => e.type === 'plan.status' && e.data.status === 'completed',
    'the plan to complete',
  );
  const idle = await driver.stream.waitFor(
    runStateAfter('idle', completed.seq),
    'the session to be idle',
  );
  await driver.settled();
  return idle;
}

/** The ids of a stream's events, and its events one after the other per segment. */
const ids = (events: readonly SessionEvent[]) => events.map((e) => e.id);
const inIdOrder = (events: readonly SessionEvent[]) =>
  ids(events).every((id, i, all) => i === 0 || (all[i - 1] ?? '') < id);

describe.each(backends(inject('databaseUrl')))('on $kind', ({ databaseUrl }) => {
  let scenario: Scenario;
  beforeAll(async () => {
    scenario = await startScenario({ databaseUrl, script: planScript() });
  });
  afterAll(() => scenario.close());

  it('12. a subscriber that drops mid-plan and reconnects with lastEventId receives every event exactly once, in order', async () => {
    const { client } = scenario;
    const session = await client.sessions.create.mutate({ title: 'reconnect' });
    const driver = driveSession({
      sessionId: session.id,
      clients: () => client,
      subscriber: client,
    });
    const watcher = followStream(sessionEvents(client, session.id));
    await client.messages.send.mutate({ sessionId: session.id, content: 'Add a greeting module.' });

    await watcher.waitFor((e) => e.type === 'plan.created', 'the plan');
    learnPlan(watcher.events);
    await watcher.waitFor(isSubtaskRunning(1), 'subtask 1 to start');
    const lastEventId = watcher.drop();
    const dropped = watcher.events.at(-1);
    expect(dropped?.id).toBe(lastEventId);
    // The plan goes on while the watcher is away: it misses at least subtask 2's start.
    await driver.stream.waitFor(isSubtaskRunning(2), 'subtask 2 to start');
    const missed = driver.stream.events.filter((e) => e.seq > (dropped?.seq ?? 0)).length;
    watcher.resume();
    const idle = await planFinished(driver);
    await watcher.waitFor((e) => e.id === idle.id, 'the watcher to see the end of the run');
    driver.close();
    watcher.close();
    expect(driver.failures).toEqual([]);

    const [before, after] = watcher.segments;
    expect(watcher.segments).toHaveLength(2);
    expect(missed).toBeGreaterThan(0);
    // The second subscription starts right after the last event the first one received.
    expect(after?.[0]?.seq).toBe((before?.at(-1)?.seq ?? 0) + 1);
    expect(after?.some(isSubtaskRunning(2))).toBe(true);

    // A fresh subscription from the first event, after the plan ended, is the same stream.
    const full = followStream(sessionEvents(client, session.id));
    await full.waitFor((e) => e.id === idle.id, 'the full stream');
    full.close();
    expect(ids(watcher.events)).toEqual(ids(full.events));
    expect(watcher.events.map((e) => e.seq)).toEqual(watcher.events.map((_, i) => i + 1));
    expect(new Set(ids(watcher.events)).size).toBe(watcher.events.length);
    expect(inIdOrder(watcher.events)).toBe(true);
  });

  it('12. the operator stream (events.all) over two sessions committing at once: drop and resume, no gap, no duplicate, in id order', async () => {
    const { client, operator } = scenario;
    const sessions = await Promise.all(
      ['first', 'second'].map((title) =>
        client.sessions.create.mutate({ title: `all events, ${title}` }),
      ),
    );
    const watcher: EventStream = followStream(allEvents(operator));
    const drivers = sessions.map((s) =>
      driveSession({ sessionId: s.id, clients: () => client, subscriber: client }),
    );
    await Promise.all(
      sessions.map((s) =>
        client.messages.send.mutate({ sessionId: s.id, content: 'Add a greeting module.' }),
      ),
    );

    const ofSession = (sessionId: string) => (events: readonly SessionEvent[]) =>
      events.filter((e) => e.sessionId === sessionId);
    // Drop once both plans run, and come back after each session has committed more.
    for (const s of sessions) {
      await watcher.waitFor((e) => e.sessionId === s.id && e.type === 'plan.created', 'both plans');
    }
    learnPlan(watcher.events);
    for (const s of sessions)
      await watcher.waitFor(isSubtaskRunning(1, s.id), 'subtask 1 of both plans');
    const lastEventId = watcher.drop();
    expect(lastEventId).toBe(watcher.events.at(-1)?.id);
    const seenBefore = sessions.map((s) => ofSession(s.id)(watcher.events).at(-1)?.seq ?? 0);
    await Promise.all(
      drivers.map((d, i) =>
        d.stream.waitFor((e) => e.seq > (seenBefore[i] ?? 0) + 3, 'the sessions to go on'),
      ),
    );
    watcher.resume();
    const ends = await Promise.all(drivers.map(planFinished));
    for (const end of ends) await watcher.waitFor((e) => e.id === end.id, 'the end of both runs');
    for (const d of drivers) d.close();
    watcher.close();
    expect(drivers.flatMap((d) => d.failures)).toEqual([]);

    // What the watcher received over both subscriptions is the global stream read afresh.
    const full = followStream(allEvents(operator));
    const last = watcher.events.at(-1);
    await full.waitFor((e) => e.id === last?.id, 'the full stream');
    full.close();
    expect(watcher.segments).toHaveLength(2);
    expect(watcher.segments.every((segment) => segment.length > 0)).toBe(true);
    expect(ids(watcher.events)).toEqual(ids(full.events));
    expect(new Set(ids(watcher.events)).size).toBe(watcher.events.length);
    expect(inIdOrder(watcher.events)).toBe(true);
    for (const [i, s] of sessions.entries()) {
      const own = ofSession(s.id)(watcher.events);
      expect(own.map((e) => e.seq)).toEqual(own.map((_, n) => n + 1));
      // Each session's part of the global stream is its own stream.
      expect(ids(own)).toEqual(ids(drivers[i]?.stream.events ?? []));
    }
    // The two sessions really did commit in between each other.
    const owners = watcher.events
      .filter((e) => sessions.some((s) => s.id === e.sessionId))
      .map((e) => e.sessionId);
    expect(owners.filter((id, i) => i > 0 && owners[i - 1] !== id).length).toBeGreaterThan(1);
  });
});
