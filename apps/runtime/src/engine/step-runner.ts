import type { AppliedInput, Database, SessionNotFound } from '@baton/db';
import { appendStepText, renewLease } from '@baton/db';
import type { Effect, Message, SessionInput } from '@baton/domain';
import { agents, toolsOf } from '@baton/domain';
import type { Logger } from 'pino';
import type { Limiter } from './limiter';
import type { EngineMetrics } from './metrics';
import type { RunModelStep } from './ports';

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
}

/** How long streamed text may wait before it is written as a `message.delta` event. */
const DELTA_FLUSH_MS = 100;

/**
 * Runs one model step under its lease and commits what it produced. The lease (written in the
 * transaction that started the step) is renewed while the model works; if it is lost, the step
 * stops, since its commit would be fenced anyway. Streamed text becomes `message.delta` events,
 * batched; a step that finishes quickly writes none (its `message.assistant` has the text).
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

  const started = deps.now();
  try {
    const output = await deps.limiter.run(() =>
      deps.runModelStep({
        agent,
        system: agents[agent].systemPrompt,
        messages: context,
        tools: toolsOf(agent),
        signal: controller.signal,
        onTextDelta,
      }),
    );
    if (flushTimer) {
      clearTimeout(flushTimer);
      flushTimer = null;
    }
    pending = '';
    await flushing;
    deps.metrics.observeModelStep(agent, deps.now() - started, 'ok');
    await deps.apply(sessionId, {
      type: 'model_step_completed',
      stepId,
      fence,
      text: output.text,
      toolCalls: output.toolCalls,
    });
  } catch (error) {
    if (controller.signal.aborted) {
      log.info({ reason: String(controller.signal.reason) }, 'model step stopped');
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    deps.metrics.observeModelStep(agent, deps.now() - started, 'error');
    log.warn({ err: error }, 'model step failed');
    await deps.apply(sessionId, { type: 'model_step_failed', stepId, fence, error: message });
  } finally {
    clearInterval(renewal);
    if (flushTimer) clearTimeout(flushTimer);
    deps.signal.removeEventListener('abort', abort);
  }
}
