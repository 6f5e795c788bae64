import type { Access, AppliedInput, Database, SessionNotFound } from '@baton/db';
import { applyInput, createContextCache, releaseLease } from '@baton/db';
import type { DomainConfig, Effect, SessionInput } from '@baton/domain';
import type { Logger } from 'pino';
import type { Limiter } from './limiter';
import type { RunModelStep } from './ports';
import type { EngineMetrics } from './metrics';
import { decisionOf } from './decide';
import { runStepEffect } from './step-runner';

/** What the engine needs from the rest of the runtime. */
export interface EngineDeps {
  readonly database: Database;
  readonly config: DomainConfig;
  readonly leaseMs: number;
  /** This replica's name: the holder of the leases of the steps it runs. */
  readonly holder: string;
  readonly runModelStep: RunModelStep;
  readonly limiter: Limiter;
  readonly logger: Logger;
  readonly metrics: EngineMetrics;
  readonly now?: () => number;
}

/** Options of one input. */
export interface ApplyOptions {
  readonly access?: Access;
  readonly idempotencyKey?: string;
}

/**
 * The engine carries out what the domain decides: it commits each input through the database
 * (which serializes it per session), then runs the effects — model steps under a lease, in the
 * background, bounded by the limiter. Mutations return once their input is committed.
 */
export interface Engine {
  apply(
    sessionId: string,
    input: SessionInput,
    options?: ApplyOptions,
  ): Promise<AppliedInput | SessionNotFound>;
  /** Steps this replica is running now. */
  readonly stepsInFlight: number;
  /** Whether this replica is running the step now (its lease may be late, but it is alive). */
  isRunning(stepId: string): boolean;
  /** Whether a step started now would run here: not closing, and the model-step line not full. */
  readonly hasRoom: boolean;
  /**
   * Stops taking work: a step started from now on (by a request still in flight) has its lease
   * released at once, for another replica. Steps in flight get `graceMs` to finish; then they
   * are aborted, and each releases its lease, so recovery elsewhere resumes it without waiting
   * for the lease to run out.
   */
  close(graceMs?: number): Promise<void>;
}

/** Creates the engine of one replica. */
export function createEngine(deps: EngineDeps): Engine {
  const now = deps.now ?? Date.now;
  // The contexts this replica's steps were given lately: its own cache, not the database's.
  const contexts = createContextCache();
  const controllers = new Map<string, AbortController>();
  const running = new Set<Promise<void>>();
  let closed = false;

  const carryOut = (sessionId: string, effect: Effect, applied: AppliedInput): void => {
    if (effect.type === 'abort_model_step') {
      controllers.get(effect.stepId)?.abort(new Error(effect.reason));
      return;
    }
    if (closed) {
      // Shutting down: the step's lease, written by the commit that started it, is released so
      // that another replica (or the next start) resumes it at once.
      const lease = { sessionId, stepId: effect.stepId, fence: effect.fence, holder: deps.holder };
      const release = releaseLease(deps.database.db, { ...lease, now: now() })
        .then(() => deps.logger.info(lease, 'shutting down: step left to another replica'))
        .catch((error: unknown) => deps.logger.warn({ err: error, ...lease }, 'lease not released'))
        .finally(() => running.delete(release));
      running.add(release);
      return;
    }
    // applyInput reads the context of every step it starts, in the transaction that starts it.
    const context = applied.contexts.get(effect.stepId);
    if (!context) throw new Error(`no context was read for step ${effect.stepId}`);
    const controller = new AbortController();
    controllers.set(effect.stepId, controller);
    const task = runStepEffect(
      { ...deps, now, apply: (id, input) => engine.apply(id, input), signal: controller.signal },
      sessionId,
      effect,
      context,
    )
      .catch((error: unknown) => {
        deps.logger.error({ err: error, sessionId, stepId: effect.stepId }, 'model step crashed');
      })
      .finally(() => {
        if (controllers.get(effect.stepId) === controller) controllers.delete(effect.stepId);
        running.delete(task);
      });
    running.add(task);
  };

  const engine: Engine = {
    async apply(sessionId, input, options = {}) {
      const at = now();
      const applied = await applyInput(deps.database, {
        sessionId,
        input,
        decide: decisionOf(input, at, deps.config),
        now: at,
        contexts,
        holder: deps.holder,
        leaseMs: deps.leaseMs,
        ...(options.access ? { access: options.access } : {}),
        ...(options.idempotencyKey !== undefined ? { idempotencyKey: options.idempotencyKey } : {}),
      });
      if (applied.notFound) return applied;
      deps.metrics.recordApplied(input, applied);
      for (const decision of applied.result.decisions) {
        deps.logger.debug(
          { sessionId, decision: decision.kind, reason: decision.reason },
          'decision',
        );
      }
      for (const effect of applied.result.effects) carryOut(sessionId, effect, applied);
      return applied;
    },
    get stepsInFlight() {
      return controllers.size;
    },
    isRunning: (stepId) => controllers.has(stepId),
    get hasRoom() {
      return !closed && !deps.limiter.full;
    },
    async close(graceMs = 0) {
      closed = true;
      await settledWithin(running, graceMs);
      for (const controller of controllers.values()) controller.abort(new Error('shutting down'));
      // Aborted steps end by releasing their leases; wait for that too.
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
  return engine;
}

/** Resolves once every task of `tasks` (which may grow meanwhile) has settled, or after `ms`. */
async function settledWithin(tasks: ReadonlySet<Promise<void>>, ms: number): Promise<void> {
  if (ms <= 0 || tasks.size === 0) return;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(resolve, ms, 'timeout')));
  try {
    while (tasks.size > 0) {
      const settled = Promise.allSettled([...tasks]).then(() => 'settled' as const);
      if ((await Promise.race([settled, timeout])) === 'timeout') return;
    }
  } finally {
    clearTimeout(timer);
  }
}
