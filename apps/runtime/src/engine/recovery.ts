import type { Database } from '@baton/db';
import { findExpiredApprovals, findExpiredLeases, subscribeLeaseReleases } from '@baton/db';
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
 * database), and taking the step over would run the model twice for it. A replica with no room
 * for more steps (closing, or its model-step line full) takes none over: it would only hand them
 * back. Safe on any number of replicas at once: each input is decided under the session's lock,
 * so a second replica's attempt is refused as stale.
 */
export async function sweepOnce(
  database: Database,
  engine: Engine,
  now: number,
  logger: Logger,
): Promise<SweepReport> {
  let leasesRecovered = 0;
  for (const lease of await findExpiredLeases(database.db, { now })) {
    if (!engine.hasRoom) break;
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

/**
 * Sweeps now, then every `intervalMs`, and at once whenever a lease is released anywhere (a
 * replica shutting down or without room hands its steps over) — until stopped. A failed sweep is
 * logged and retried. Resolves once listening for releases.
 */
export async function startRecovery(args: {
  database: Database;
  engine: Engine;
  intervalMs: number;
  now: () => number;
  logger: Logger;
}): Promise<{ stop(): Promise<void> }> {
  let stopped = false;
  let sweeping = false;
  /** A release was announced while a sweep ran: sweep again right after it. */
  let again = false;
  let current: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const tick = (): void => {
    if (stopped) return;
    clearTimeout(timer);
    sweeping = true;
    again = false;
    current = sweepOnce(args.database, args.engine, args.now(), args.logger)
      .catch((error: unknown) => args.logger.error({ err: error }, 'recovery sweep failed'))
      .finally(() => {
        sweeping = false;
        if (!stopped) timer = setTimeout(tick, again ? 0 : args.intervalMs);
      });
  };
  const unlisten = await subscribeLeaseReleases(args.database, () => {
    if (sweeping) again = true;
    else tick();
  });
  timer = setTimeout(tick, 0);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await unlisten();
      await current;
    },
  };
}
