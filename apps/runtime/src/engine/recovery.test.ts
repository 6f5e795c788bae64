import type { AppliedInput, Database, SessionNotFound } from '@baton/db';
import {
  applyInput,
  createContextCache,
  createSession,
  migrate,
  openDatabase,
  releaseLease,
} from '@baton/db';
import type { SessionInput } from '@baton/domain';
import { defaultDomainConfig } from '@baton/domain';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from './engine';
import { decisionOf } from './decide';
import { startRecovery, sweepOnce } from './recovery';

let database: Database;
const logger = pino({ level: 'silent' });
const now = Date.UTC(2030, 0, 1);

beforeAll(async () => {
  database = await openDatabase({ dataDir: 'memory://' });
  await migrate(database);
});
afterAll(() => database.close());

/** A session whose step, started by `holder`, has a lease that ran out at `now`. */
async function stepWithExpiredLease(
  holder: string,
  leaseMs = 1_000,
): Promise<{ sessionId: string; stepId: string }> {
  const { session } = await createSession(database, { ctx: { now: now - 10_000 } });
  const applied = await applyInput(database, {
    sessionId: session.id,
    input: { type: 'user_message', text: 'hello' },
    decide: decisionOf({ type: 'user_message', text: 'hello' }, now - 10_000, defaultDomainConfig),
    now: now - 10_000,
    contexts: createContextCache(),
    holder,
    leaseMs,
  });
  if (applied.notFound) throw new Error('no session');
  const run = applied.result.state.session.run;
  if (run.status !== 'model_step') throw new Error(`run is ${run.status}`);
  return { sessionId: session.id, stepId: run.stepId };
}

/** An engine that runs `running` and records what it is asked to apply. */
function engineRunning(running: ReadonlySet<string>, hasRoom = true) {
  const applied: { sessionId: string; input: SessionInput }[] = [];
  const engine: Engine = {
    apply(sessionId, input): Promise<AppliedInput | SessionNotFound> {
      applied.push({ sessionId, input });
      return Promise.resolve({ notFound: true });
    },
    stepsInFlight: running.size,
    isRunning: (stepId) => running.has(stepId),
    hasRoom,
    close: () => Promise.resolve(),
  };
  return { engine, applied };
}

describe('sweepOnce', () => {
  it('takes over a step whose lease ran out and which this replica is not running', async () => {
    const step = await stepWithExpiredLease('replica-gone');
    const { engine, applied } = engineRunning(new Set());
    await sweepOnce(database, engine, now, logger);
    expect(applied).toContainEqual({
      sessionId: step.sessionId,
      input: { type: 'lease_expired', stepId: step.stepId, fence: 1 },
    });
  });

  it('leaves alone a late lease of a step this replica is still running', async () => {
    const step = await stepWithExpiredLease('replica-here');
    const { engine, applied } = engineRunning(new Set([step.stepId]));
    await sweepOnce(database, engine, now, logger);
    expect(applied.map((a) => a.sessionId)).not.toContain(step.sessionId);
  });

  it('takes no step over while this replica has no room for it (its model-step line is full)', async () => {
    const step = await stepWithExpiredLease('replica-gone-too');
    const { engine, applied } = engineRunning(new Set(), false);
    await sweepOnce(database, engine, now, logger);
    expect(applied.map((a) => a.sessionId)).not.toContain(step.sessionId);
  });
});

describe('startRecovery', () => {
  it('takes a released lease over at once, not at its next scheduled sweep', async () => {
    // Started 10 s before `now` with a lease of a minute: not due for another 50 s.
    const step = await stepWithExpiredLease('replica-leaving', 60_000);
    let taken = (): void => undefined;
    const takenOver = new Promise<void>((resolve) => (taken = resolve));
    const { engine } = engineRunning(new Set());
    const fake: Engine = {
      ...engine,
      apply(sessionId, input) {
        if (sessionId === step.sessionId && input.type === 'lease_expired') taken();
        return engine.apply(sessionId, input);
      },
    };
    const recovery = await startRecovery({
      database,
      engine: fake,
      intervalMs: 3_600_000,
      now: () => now,
      logger,
    });
    try {
      const lease = { ...step, fence: 1, holder: 'replica-leaving', now };
      expect(await releaseLease(database.db, lease)).toBe(true);
      await takenOver;
    } finally {
      await recovery.stop();
    }
  });
});
