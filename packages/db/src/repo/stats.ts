import type { DecisionKind, RunStatus } from '@baton/domain';
import { DecisionKind as DecisionKinds, RunStatus as RunStatuses } from '@baton/domain';
import { and, count, eq, gte, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { decisions, sessions, toolCalls } from '../schema';

/** Counts per key, with every known key present (0 when none). */
function countsOf<K extends string>(
  keys: readonly K[],
  rows: readonly { key: K; n: number }[],
): Record<K, number> {
  const counts = Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
  for (const row of rows) counts[row.key] = row.n;
  return counts;
}

/** How many sessions are in each run state (every state present). */
export async function countSessionsByRunStatus(db: Db): Promise<Record<RunStatus, number>> {
  const rows = await db
    .select({ key: sessions.runStatus, n: count() })
    .from(sessions)
    .groupBy(sessions.runStatus);
  return countsOf(Object.values(RunStatuses), rows);
}

/** Percentiles (ms) of the time from dispatching a tool call to the client's result. */
export interface RoundTripLatency {
  readonly count: number;
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
}

/** What the operator overview shows (SPEC §7 `stats.overview`). */
export interface StatsOverview {
  readonly sessionsByStatus: Record<RunStatus, number>;
  /** Decisions by kind since `since` (all time when absent), every kind present. */
  readonly decisionsByKind: Record<DecisionKind, number>;
  /** Client results since `since` (all time when absent). */
  readonly toolRoundTrip: RoundTripLatency;
}

/**
 * Sessions by run state, decisions by kind and the tool round-trip latency (dispatch to the
 * client's result), over everything recorded or, with `since` (ms since the epoch), over
 * decisions and results from then on.
 */
export async function statsOverview(db: Db, args: { since?: number } = {}): Promise<StatsOverview> {
  const since = args.since === undefined ? undefined : new Date(args.since);
  const [sessionsByStatus, decisionRows, latency] = await Promise.all([
    countSessionsByRunStatus(db),
    db
      .select({ key: decisions.kind, n: count() })
      .from(decisions)
      .where(since ? gte(decisions.at, since) : undefined)
      .groupBy(decisions.kind),
    db
      .select({
        count: count(),
        percentiles: sql<(number | string)[] | null>`percentile_cont(ARRAY[0.5, 0.95, 0.99])
          WITHIN GROUP (ORDER BY extract(epoch FROM ${toolCalls.resolvedAt} - ${toolCalls.dispatchedAt}) * 1000)`,
      })
      .from(toolCalls)
      .where(
        and(
          eq(toolCalls.resolvedBy, 'client'),
          isNotNull(toolCalls.dispatchedAt),
          isNotNull(toolCalls.resolvedAt),
          since ? gte(toolCalls.resolvedAt, since) : undefined,
        ),
      ),
  ]);
  const [p50, p95, p99] = (latency[0]?.percentiles ?? []).map(Number);
  return {
    sessionsByStatus,
    decisionsByKind: countsOf(Object.values(DecisionKinds), decisionRows),
    toolRoundTrip: {
      count: latency[0]?.count ?? 0,
      p50: p50 ?? null,
      p95: p95 ?? null,
      p99: p99 ?? null,
    },
  };
}
