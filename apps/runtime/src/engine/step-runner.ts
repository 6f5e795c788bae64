import { setTimeout as delay } from 'node:timers/promises';
import type { AppliedInput, Database, SessionNotFound } from '@baton/db';
import { appendStepText, releaseLease, renewLease } from '@baton/db';
import type { Effect, Message, SessionInput } from '@baton/domain';
import { agents, toolsOf } from '@baton/domain';
import type { Logger } from 'pino';
import { ModelStepError } from '../models/errors';
import type { Limiter } from './limiter';
import type { EngineMetrics } from './metrics';
import type { ModelStepOutput, RunModelStep } from './ports';

type ModelStepEffect = Extract<Effect, { type: 'run_model_step' }>;

/** What running one step needs. */
export interface StepRunnerDeps {
  readonly database: Database;
  readonly leaseMs: number;
  readonly holder: string;
  readonly runModelStep: RunModelStep;
  readonly limiter: Limiter;
  readonly logger: Logger;
  readonly metrics: EngineMetrics;
  readonly now: () => number;
  readonly apply: (
    sessionId: string,
    input: SessionInput,
  ) => Promise<AppliedInput | SessionNotFound>;
  /** Aborted when the step is cancelled or the replica shuts down. */
  readonly signal: AbortSignal;
  /** The waits between attempts to commit what a step produced (default {@link COMMIT_RETRY_DELAYS_MS}). */
  readonly commitRetryDelaysMs?: readonly number[];
}

/**
 * A commit that throws (a dropped connection, a failover) is tried again after each of these
 * waits, while the lease is held — renewed meanwhile, so the step stays this replica's. About
 * 8 s in all: then the step is left to its lease, and recovery runs it again.
 */
export const COMMIT_RETRY_DELAYS_MS: readonly number[] = [100, 400, 1600, 6400];

/**
 * What the session's `error` event says of a step that failed for a reason other than the model
 * (a bug, an unexpected error): its message may hold SQL or internals, so it goes to the log only.
 */
export const UNEXPECTED_STEP_FAILURE =
  'The model step failed unexpectedly; the runtime logged the details.';

/** How long streamed text may wait before it is written as a `message.delta` event. */
const DELTA_FLUSH_MS = 100;

/**
 * Runs one model step under its lease and commits what it produced. The lease (written in the
 * transaction that started the step) is renewed while the model works; if it is lost, the step
 * stops, since its commit would be fenced anyway. Streamed text becomes `message.delta` events,
 * batched; a step that finishes quickly writes none (its `message.assistant` has the text).
 *
 * Only the model's own failure ({@link ModelStepError}) fails the step, with the model's message;
 * a commit that throws is retried, then left to the lease. A step that ends without a commit —
 * stopped, refused by a full limiter, or whose commit never went through — releases its lease,
 * so that recovery (here or on another replica) runs it again at once.
 */
export async function runStepEffect(
  deps: StepRunnerDeps,
  sessionId: string,
  effect: ModelStepEffect,
  /** The step's messages, as read in the transaction that started it. */
  context: readonly Message[],
): Promise<void> {
  const { stepId, fence, agent } = effect;
  const log = deps.logger.child({ sessionId, runId: effect.runId, stepId, fence, agent });
  const controller = new AbortController();
  const abort = (): void => controller.abort(deps.signal.reason);
  deps.signal.addEventListener('abort', abort);
  const lease = { sessionId, stepId, fence, holder: deps.holder };
  const renewal = setInterval(
    () => {
      renewLease(deps.database.db, { ...lease, until: deps.now() + deps.leaseMs })
        .then((held) => {
          if (!held) controller.abort(new Error('lease lost'));
        })
        .catch((error: unknown) => log.warn({ err: error }, 'lease renewal failed'));
    },
    Math.max(20, Math.floor(deps.leaseMs / 3)),
  );
  const giveUp = async (): Promise<void> => {
    try {
      await releaseLease(deps.database.db, { ...lease, now: deps.now() });
    } catch (error) {
      log.warn({ err: error }, 'could not release the lease; it will run out instead');
    }
  };

  let pending = '';
  let flushTimer: NodeJS.Timeout | null = null;
  let flushing: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = null;
    const text = pending;
    pending = '';
    if (text === '') return flushing;
    flushing = flushing
      .then(() =>
        appendStepText(deps.database, { sessionId, stepId, fence, text, now: deps.now() }),
      )
      .then(() => undefined)
      .catch((error: unknown) => log.warn({ err: error }, 'could not write streamed text'));
    return flushing;
  };
  const onTextDelta = (text: string): void => {
    pending += text;
    flushTimer ??= setTimeout(() => void flush(), DELTA_FLUSH_MS);
  };
  const commit = (input: SessionInput): Promise<boolean> =>
    commitWithRetry(deps, sessionId, input, controller.signal, log);

  const started = deps.now();
  try {
    const call = deps.limiter.run(() =>
      deps.runModelStep({
        agent,
        system: agents[agent].systemPrompt,
        messages: context,
        tools: toolsOf(agent),
        signal: controller.signal,
        onTextDelta,
      }),
    );
    if (!call) {
      // The line of steps waiting for a model slot is full. Waiting anyway would hold memory
      // without bound; failing the step would fail a run for want of capacity. Released, the
      // lease lets another replica (or this one's recovery, once there is room) run the step.
      log.warn('the model-step queue is full; the step is left to another replica');
      await giveUp();
      return;
    }
    let output: ModelStepOutput;
    try {
      output = await call;
    } catch (error) {
      if (controller.signal.aborted) {
        log.info({ reason: String(controller.signal.reason) }, 'model step stopped');
        await giveUp();
        return;
      }
      deps.metrics.observeModelStep(agent, deps.now() - started, 'error');
      log.warn({ err: error }, 'model step failed');
      const message = error instanceof ModelStepError ? error.message : UNEXPECTED_STEP_FAILURE;
      if (!(await commit({ type: 'model_step_failed', stepId, fence, error: message }))) {
        await giveUp();
      }
      return;
    }
    if (flushTimer) {
      clearTimeout(flushTimer);
      flushTimer = null;
    }
    pending = '';
    await flushing;
    deps.metrics.observeModelStep(agent, deps.now() - started, 'ok');
    const committed = await commit({
      type: 'model_step_completed',
      stepId,
      fence,
      text: output.text,
      toolCalls: output.toolCalls,
    });
    if (!committed) await giveUp();
  } finally {
    clearInterval(renewal);
    if (flushTimer) clearTimeout(flushTimer);
    deps.signal.removeEventListener('abort', abort);
  }
}

/**
 * Commits a step's outcome, trying again after each of the deps' retry delays while `signal`
 * (the step's: lease lost, cancelled, shutting down) is not aborted. False when it never went
 * through: the caller leaves the step to its lease. A retry after a commit whose answer was
 * lost is refused as stale by the domain, which is what makes retrying safe.
 */
async function commitWithRetry(
  deps: StepRunnerDeps,
  sessionId: string,
  input: SessionInput,
  signal: AbortSignal,
  log: Logger,
): Promise<boolean> {
  const delays = deps.commitRetryDelaysMs ?? COMMIT_RETRY_DELAYS_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      await deps.apply(sessionId, input);
      return true;
    } catch (error) {
      const delayMs = delays[attempt - 1];
      if (delayMs === undefined || signal.aborted) {
        log.error(
          { err: error, attempts: attempt, input: input.type },
          'could not commit the step; its lease lets recovery run it again',
        );
        return false;
      }
      log.warn(
        { err: error, attempt, retryInMs: delayMs, input: input.type },
        'could not commit the step; retrying',
      );
      await pause(delayMs, signal);
    }
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return delay(ms, undefined, { signal }).catch(() => undefined);
}
