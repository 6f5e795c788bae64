import type { Database } from '@baton/db';
import { findExpiredApprovals, findExpiredLeases } from '@baton/db';
import type { Logger } from 'pino';
import type { Engine } from './engine';

/** What one sweep found and handed to the domain. */
export interface SweepReport {
  readonly leasesRecovered: number;
  readonly approvalsExpired: number;
}

/**
 * One recovery sweep: every lease that expired while its step was in flight is taken over
 * (`lease_expired` → `lease_recovered`, the step runs again here under a new fence), and every
 * approval past its deadline is expired. A lease of a step this replica is itself still running
 * is left alone: its holder is alive, only late to renew (a stalled event loop, a slow
 * database), and taking the step over would run the model twice for it. Safe on any number of replicas at once: each input is
 * decided under the session's lock, so a second replica's attempt is refused as stale.
 */
export async function sweepOnce(
  database: Database,
  engine: Engine,
  now: number,
  logger: Logger,
): Promise<SweepReport> {
  let leasesRecovered = 0;
  for (const lease of await findExpiredLeases(database.db, { now })) {
    if (engine.isRunning(lease.stepId)) {
      logger.warn(
        { sessionId: lease.sessionId, stepId: lease.stepId },
        'lease expired while this replica runs the step; leaving it to the step',
      );
      continue;
    }
    const applied = await engine.apply(lease.sessionId, {
      type: 'lease_expired',
      stepId: lease.stepId,
      fence: lease.fence,
    });
    if (!applied.notFound && applied.result.outcome.ok) {
      leasesRecovered += 1;
      logger.info(
        { sessionId: lease.sessionId, stepId: lease.stepId, from: lease.holder },
        'lease recovered',
      );
    }
  }
  let approvalsExpired = 0;
  for (const approval of await findExpiredApprovals(database.db, { now })) {
    const applied = await engine.apply(approval.sessionId, {
      type: 'approval_expired',
      approvalId: approval.approvalId,
    });
    if (!applied.notFound && applied.result.outcome.ok) approvalsExpired += 1;
  }
  return { leasesRecovered, approvalsExpired };
}

/** Sweeps now and then every `intervalMs` until stopped; a failed sweep is logged and retried. */
export function startRecovery(args: {
  database: Database;
  engine: Engine;
  intervalMs: number;
  now: () => number;
  logger: Logger;
}): { stop(): Promise<void> } {
  let stopped = false;
  let current: Promise<unknown> = Promise.resolve();
  const tick = (): void => {
    if (stopped) return;
    current = sweepOnce(args.database, args.engine, args.now(), args.logger)
      .catch((error: unknown) => args.logger.error({ err: error }, 'recovery sweep failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, args.intervalMs);
      });
  };
  let timer: NodeJS.Timeout = setTimeout(tick, 0);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}
