import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { IntervalResult, LevelResult } from './level';

const fixed = (value: number | null, digits: number): string =>
  value === null || Number.isNaN(value) ? '–' : value.toFixed(digits);

/** The results as a plain-text table, one row per level. */
export function formatTable(results: readonly LevelResult[]): string {
  const header = [
    'db',
    'C',
    'round trips',
    'rt/s',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'commits/rt',
    'tx/rt',
    'pg writes/rt',
    'stmts/rt',
    'queries/rt',
    'CPU ms/rt',
    'client CPU ms/rt',
    'max RSS MB',
  ];
  const rows = results.map((r) => [
    r.database,
    String(r.clients),
    String(r.roundTrips),
    fixed(r.roundTripsPerSecond, 0),
    fixed(r.p50Ms, 1),
    fixed(r.p95Ms, 1),
    fixed(r.p99Ms, 1),
    fixed(r.commitsPerRoundTrip, 2),
    fixed(r.transactionsPerRoundTrip, 2),
    fixed(r.pgWritesPerRoundTrip ?? null, 2),
    fixed(r.statementsPerRoundTrip, 1),
    fixed(r.queriesPerRoundTrip, 1),
    fixed(r.cpuMsPerRoundTrip, 2),
    fixed(r.clientCpuMsPerRoundTrip ?? null, 2),
    fixed(r.maxRssMb, 0),
  ]);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)),
  );
  const line = (cells: string[]): string =>
    cells.map((c, i) => c.padStart(widths[i] ?? 0)).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

/**
 * How a soak's figures moved from its first interval (after start-up) to its last: RSS in MB and
 * latency as a ratio. Null with fewer than two intervals.
 */
export function formatDrift(intervals: readonly IntervalResult[]): string | null {
  const first = intervals[0];
  const last = intervals.at(-1);
  if (!first || !last || first === last) return null;
  const rss =
    first.rssMb !== null && last.rssMb !== null
      ? `RSS ${first.rssMb.toFixed(0)} -> ${last.rssMb.toFixed(0)} MB`
      : 'RSS –';
  const ratio = (a: number, b: number): string => (a > 0 ? `x${(b / a).toFixed(2)}` : '–');
  return (
    `from ${first.atSeconds} s to ${last.atSeconds} s: ${rss}, ` +
    `p50 ${first.p50Ms.toFixed(1)} -> ${last.p50Ms.toFixed(1)} ms (${ratio(first.p50Ms, last.p50Ms)}), ` +
    `p99 ${first.p99Ms.toFixed(1)} -> ${last.p99Ms.toFixed(1)} ms (${ratio(first.p99Ms, last.p99Ms)}), ` +
    `rt ${first.roundTrips} -> ${last.roundTrips} per interval`
  );
}

/** Writes `bench/results/<ISO time>.json` and returns its path. */
export function writeResults(
  results: readonly LevelResult[],
  meta: Record<string, unknown>,
): string {
  const dir = fileURLToPath(new URL('../results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const at = new Date().toISOString();
  const file = `${dir}${at.replaceAll(':', '-')}.json`;
  writeFileSync(file, `${JSON.stringify({ at, ...meta, results }, null, 2)}\n`);
  return file;
}
