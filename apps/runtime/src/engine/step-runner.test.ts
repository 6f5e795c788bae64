import type { AppliedInput, Database, SessionNotFound } from '@baton/db';
import {
  applyInput,
  createContextCache,
  createSession,
  findExpiredLeases,
  migrate,
  openDatabase,
  readSessionEvents,
} from '@baton/db';
import type { Effect, SessionInput } from '@baton/domain';
import { defaultDomainConfig } from '@baton/domain';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelStepError } from '../models/errors';
import { decisionOf } from './decide';
import { createLimiter } from './limiter';
import type { EngineMetrics } from './metrics';
import type { ModelStepOutput, RunModelStep } from './ports';
import type { StepRunnerDeps } from './step-runner';
import { UNEXPECTED_STEP_FAILURE, runStepEffect } from './step-runner';

let database: Database;
const logger = pino({ level: 'silent' });
const now = Date.UTC(2030, 0, 1);
const holder = 'replica-here';
const contexts = createContextCache();
const metrics = { observeModelStep: () => undefined } as unknown as EngineMetrics;
/** What a dropped PostgreSQL connection looks like to the engine: SQL and parameters inside. */
const dropped = (): Error =>
  new Error('Failed query: update "sessions" set "run" = $1 params: {"secret":1}', {
    cause: new Error('write CONNECTION_CLOSED 127.0.0.1:5432'),
  });

beforeAll(async () => {
  database = await openDatabase({ dataDir: 'memory://' });
  await migrate(database);
});
afterAll(() => database.close());

type ModelStep = Extract<Effect, { type: 'run_model_step' }>;

/** A session whose first step this replica has just started (lease held for a minute). */
async function startedStep() {
  const { session } = await createSession(database, { ctx: { now } });
  const applied = await applyDirectly(session.id, { type: 'user_message', text: 'hello' });
  if (applied.notFound) throw new Error('no session');
  const effect = applied.result.effects.find((e): e is ModelStep => e.type === 'run_model_step');
  if (!effect) throw new Error('no step started');
  const context = applied.contexts.get(effect.stepId) ?? [];
  return { sessionId: session.id, effect, context };
}

function applyDirectly(
  sessionId: string,
  input: SessionInput,
): Promise<AppliedInput | SessionNotFound> {
  return applyInput(database, {
    sessionId,
    input,
    decide: decisionOf(input, now, defaultDomainConfig),
    now,
    contexts,
    holder,
    leaseMs: 60_000,
  });
}

/** Runs the step with `patch` in its deps, recording every input it applies. */
async function run(
  step: Awaited<ReturnType<typeof startedStep>>,
  patch: Partial<StepRunnerDeps> = {},
): Promise<SessionInput[]> {
  const applied: SessionInput[] = [];
  const answer: ModelStepOutput = { text: 'Hello!', toolCalls: [] };
  const deps: StepRunnerDeps = {
    database,
    leaseMs: 60_000,
    holder,
    runModelStep: () => Promise.resolve(answer),
    limiter: createLimiter(4, 4),
    logger,
    metrics,
    now: () => now,
    apply: (sessionId, input) => applyDirectly(sessionId, input),
    signal: new AbortController().signal,
    commitRetryDelaysMs: [0, 0, 0],
    ...patch,
  };
  const recording: StepRunnerDeps = {
    ...deps,
    apply: (sessionId, input) => {
      applied.push(input);
      return deps.apply(sessionId, input);
    },
  };
  await runStepEffect(recording, step.sessionId, step.effect, step.context);
  return applied;
}

const released = async (sessionId: string): Promise<boolean> =>
  (await findExpiredLeases(database.db, { now })).some((lease) => lease.sessionId === sessionId);

const eventTypes = async (sessionId: string) =>
  (await readSessionEvents(database.db, { sessionId, limit: 100 })).map((e) => e.type);

describe('runStepEffect', () => {
  it('tries a commit that throws again, and does not take it for a model failure', async () => {
    const step = await startedStep();
    let failures = 1;
    const applied = await run(step, {
      apply: (sessionId, input) => {
        if (failures-- > 0) return Promise.reject(dropped());
        return applyDirectly(sessionId, input);
      },
    });
    expect(applied.map((input) => input.type)).toEqual([
      'model_step_completed',
      'model_step_completed',
    ]);
    const events = await eventTypes(step.sessionId);
    expect(events).toContain('message.assistant');
    expect(events).not.toContain('error');
  });

  it('leaves a step whose commit never goes through to its lease, released at once, not failed', async () => {
    const step = await startedStep();
    const applied = await run(step, { apply: () => Promise.reject(dropped()) });
    expect(applied.map((input) => input.type)).toEqual(
      Array.from({ length: 4 }, () => 'model_step_completed'),
    );
    expect(await eventTypes(step.sessionId)).not.toContain('error');
    expect(await released(step.sessionId)).toBe(true);
  });

  it("fails a step with the model's own message when the model fails", async () => {
    const step = await startedStep();
    const failure = new ModelStepError('Model step failed after 4 attempts: 503', 4, 503);
    const applied = await run(step, { runModelStep: () => Promise.reject(failure) });
    expect(applied).toEqual([
      { type: 'model_step_failed', stepId: step.effect.stepId, fence: 1, error: failure.message },
    ]);
  });

  it('fails a step that broke for another reason with a generic message, never the raw one', async () => {
    const step = await startedStep();
    const applied = await run(step, { runModelStep: () => Promise.reject(dropped()) });
    expect(applied).toEqual([
      {
        type: 'model_step_failed',
        stepId: step.effect.stepId,
        fence: 1,
        error: UNEXPECTED_STEP_FAILURE,
      },
    ]);
    const events = await readSessionEvents(database.db, { sessionId: step.sessionId, limit: 100 });
    expect(JSON.stringify(events)).not.toMatch(/Failed query|params|secret/);
  });

  it('releases the lease of a step the full limiter refuses, without calling the model', async () => {
    const step = await startedStep();
    const limiter = createLimiter(1, 0);
    let openSlot = (): void => undefined;
    const busy = limiter.run(() => new Promise<void>((resolve) => (openSlot = resolve)));
    let called = false;
    const runModelStep: RunModelStep = () => {
      called = true;
      return Promise.resolve({ text: '', toolCalls: [] });
    };
    const applied = await run(step, { limiter, runModelStep });
    openSlot();
    await busy;
    expect(called).toBe(false);
    expect(applied).toEqual([]);
    expect(await released(step.sessionId)).toBe(true);
  });

  it('releases the lease of a step stopped while the model works (the replica shuts down)', async () => {
    const step = await startedStep();
    const shutdown = new AbortController();
    const runModelStep: RunModelStep = (request) =>
      new Promise((_, reject) => {
        request.signal.addEventListener('abort', () => reject(new Error('aborted')));
        shutdown.abort(new Error('shutting down'));
      });
    const applied = await run(step, { runModelStep, signal: shutdown.signal });
    expect(applied).toEqual([]);
    expect(await released(step.sessionId)).toBe(true);
  });
});
