import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { Database } from './client';
import { listDecisions } from './repo/decisions';
import {
  claimLease,
  findExpiredLeases,
  releaseLease,
  renewLease,
  subscribeLeaseReleases,
} from './repo/leases';
import { getSession } from './repo/session-views';
import { leases, messages } from './schema';
import { testBackends, useTestDatabase } from './testing/backends';
import type { Clock } from './testing/fixtures';
import { apply, newSession, stepDone, testClock } from './testing/fixtures';

/** A session with a model step in flight, leased to `holder` for `leaseMs`. */
async function sessionWithStep(database: Database, clock: Clock, holder: string, leaseMs = 1000) {
  const sessionId = await newSession(database, clock);
  const started = await apply(database, {
    sessionId,
    clock,
    holder,
    leaseMs,
    input: { type: 'user_message', text: 'go' },
  });
  const run = started.result.state.session.run;
  if (run.status !== 'model_step') throw new Error('no step started');
  return { sessionId, stepId: run.stepId, started };
}

async function leaseOf(database: Database, sessionId: string) {
  const [lease] = await database.db.select().from(leases).where(eq(leases.sessionId, sessionId));
  return lease;
}

describe.each(testBackends(inject('databaseUrl')))('leases on $kind', (backend) => {
  const t = useTestDatabase(backend);
  let clock: Clock;
  beforeAll(() => {
    clock = testClock();
  });

  it('are claimed only for the step in flight, and never from a live holder', async () => {
    const { db } = t.database;
    const { sessionId, stepId } = await sessionWithStep(t.database, clock, 'worker-a');
    const claim = (patch: { holder?: string; stepId?: string; fence?: number; now?: number }) =>
      claimLease(db, {
        sessionId,
        stepId,
        fence: 1,
        holder: 'worker-b',
        now: clock.now,
        expiresAt: clock.now + 60_000,
        ...patch,
      });
    expect(await claim({})).toBe(false);
    expect(await claim({ stepId: 'step-elsewhere', now: clock.now + 5000 })).toBe(false);
    expect(await claim({ fence: 2, now: clock.now + 5000 })).toBe(false);
    expect(await claim({ holder: 'worker-a' })).toBe(true);
    expect(await claim({ now: clock.now + 60_000 })).toBe(true);
    expect(await leaseOf(t.database, sessionId)).toMatchObject({ holder: 'worker-b', fence: 1 });
  });

  it('go to exactly one of two workers racing for an expired lease', async () => {
    const workers = [await t.connect(), await t.connect()];
    for (let round = 0; round < 5; round++) {
      const { sessionId, stepId } = await sessionWithStep(t.database, clock, 'worker-dead');
      const later = clock.now + 10_000;
      const wins = await Promise.all(
        workers.map((worker, i) =>
          claimLease(worker.db, {
            sessionId,
            stepId,
            fence: 1,
            holder: `worker-${i}`,
            now: later,
            expiresAt: later + 30_000,
          }),
        ),
      );
      expect(wins.filter(Boolean)).toHaveLength(1);
      const winner = `worker-${wins.indexOf(true)}`;
      expect(await leaseOf(t.database, sessionId)).toMatchObject({ holder: winner });
    }
  });

  it('are renewed only by their holder, at their step and fence', async () => {
    const { db } = t.database;
    const { sessionId, stepId } = await sessionWithStep(t.database, clock, 'worker-a');
    const until = clock.now + 90_000;
    const renew = (patch: { holder?: string; fence?: number }) =>
      renewLease(db, { sessionId, stepId, fence: 1, holder: 'worker-a', until, ...patch });
    expect(await renew({ holder: 'worker-b' })).toBe(false);
    expect(await renew({ fence: 2 })).toBe(false);
    expect(await renew({})).toBe(true);
    expect((await leaseOf(t.database, sessionId))?.expiresAt).toEqual(new Date(until));
  });

  it('are released only by their holder, at their step and fence, and the release is announced', async () => {
    const { database } = t;
    const { sessionId, stepId } = await sessionWithStep(database, clock, 'worker-a', 60_000);
    const announced: (string | null)[] = [];
    let onHeard = (): void => undefined;
    const heard = new Promise<void>((resolve) => (onHeard = resolve));
    const unlisten = await subscribeLeaseReleases(database, (id) => {
      announced.push(id);
      if (id === sessionId) onHeard();
    });
    const mine = (found: { sessionId: string }[]) => found.filter((l) => l.sessionId === sessionId);
    const release = (patch: { holder?: string; fence?: number; stepId?: string }) =>
      releaseLease(database.db, {
        sessionId,
        stepId,
        fence: 1,
        holder: 'worker-a',
        now: clock.now,
        ...patch,
      });
    expect(await release({ holder: 'worker-b' })).toBe(false);
    expect(await release({ fence: 2 })).toBe(false);
    expect(await release({ stepId: 'step-elsewhere' })).toBe(false);
    expect(mine(await findExpiredLeases(database.db, { now: clock.now }))).toEqual([]);
    expect(await release({})).toBe(true);
    // Expired at once, not a whole lease later.
    expect(mine(await findExpiredLeases(database.db, { now: clock.now }))).toEqual([
      { sessionId, stepId, fence: 1, holder: 'worker-a' },
    ]);
    await heard;
    await unlisten();
    expect(announced.filter((id) => id === sessionId)).toHaveLength(1);
  });

  it('that expire are taken over, and the late commit of the old holder is fenced and recorded', async () => {
    const { database } = t;
    const { sessionId, stepId, started } = await sessionWithStep(database, clock, 'worker-a');
    const mine = (found: { sessionId: string }[]) => found.filter((l) => l.sessionId === sessionId);
    expect(mine(await findExpiredLeases(database.db, { now: clock.now + 999 }))).toEqual([]);
    clock.now += 1000;
    const expired = mine(await findExpiredLeases(database.db, { now: clock.now }));
    expect(expired).toEqual([{ sessionId, stepId, fence: 1, holder: 'worker-a' }]);

    const recovered = await apply(database, {
      sessionId,
      clock,
      holder: 'worker-b',
      leaseMs: 1000,
      input: { type: 'lease_expired', stepId, fence: 1 },
    });
    expect(recovered.result.decisions.map((d) => d.kind)).toEqual(['lease_recovered']);
    expect(await leaseOf(database, sessionId)).toMatchObject({ holder: 'worker-b', fence: 2 });
    expect(mine(await findExpiredLeases(database.db, { now: clock.now }))).toEqual([]);

    const before = await getSession(database.db, { sessionId });
    const late = await apply(database, {
      sessionId,
      clock,
      input: stepDone(started, 'late answer'),
    });
    expect(late.result.outcome).toMatchObject({ ok: false, code: 'CONFLICT' });
    const [fenced] = (await listDecisions(database.db, { sessionId, limit: 1 })).items;
    expect(fenced).toMatchObject({ kind: 'stale_worker_fenced' });
    const after = await getSession(database.db, { sessionId });
    expect(after?.session.run).toEqual(before?.session.run);
    expect(after?.messages).toEqual(before?.messages);
    expect(
      await renewLease(database.db, {
        sessionId,
        stepId,
        fence: 1,
        holder: 'worker-a',
        until: clock.now + 1000,
      }),
    ).toBe(false);

    const done = await apply(database, {
      sessionId,
      clock,
      input: stepDone(recovered, 'the answer'),
    });
    expect(done.result.outcome).toEqual({ ok: true });
    expect(await database.db.$count(messages, eq(messages.sessionId, sessionId))).toBe(2);
    expect(mine(await findExpiredLeases(database.db, { now: clock.now + 1e9 }))).toEqual([]);
  });
});
