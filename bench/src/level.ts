import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { createBatonClient } from '@baton/client';
import { createScenarioDatabase } from '../../e2e/src/harness/database';
import { scriptModel } from '../../e2e/src/harness/scenario';
import type { PgCounters } from './pg-stats';
import { readPgCounters, vacuum } from './pg-stats';
import { startLoopClient } from './round-trips';
import { readCpuMs, readRssMb, sampleRss, startBenchRuntime } from './runtime';
import { percentile } from './stats';

/** What one concurrency level measured. */
export interface LevelResult {
  readonly database: 'pglite' | 'postgres';
  readonly clients: number;
  readonly seconds: number;
  readonly resultBytes: number;
  readonly roundTrips: number;
  readonly roundTripsPerSecond: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  /** Null on PGlite. */
  readonly commitsPerRoundTrip: number | null;
  /** Null on PGlite, or when pg_stat_statements is not in shared_preload_libraries. */
  readonly statementsPerRoundTrip: number | null;
  /** The runtime's own count of its queries (`baton_db_queries_total`), on either database. */
  readonly queriesPerRoundTrip: number | null;
  /** The runtime's own count of the transactions it committed (`baton_db_transactions_total`). */
  readonly transactionsPerRoundTrip: number | null;
  /** Socket writes to PostgreSQL per round trip (`baton_db_writes_total`): ~ its round trips. */
  readonly pgWritesPerRoundTrip?: number | null;
  /** The runtime process's CPU time (user + system) per round trip, ms. */
  readonly cpuMsPerRoundTrip: number | null;
  /** The bench's own (the clients') CPU time per round trip, ms: not the runtime's cost. */
  readonly clientCpuMsPerRoundTrip?: number | null;
  readonly maxRssMb: number | null;
  /** With `intervalSeconds`: the figures of each interval, in order (a soak's time series). */
  readonly intervals?: readonly IntervalResult[];
}

/** One interval of a level. */
export interface IntervalResult {
  /** Seconds since the level's start at the interval's end. */
  readonly atSeconds: number;
  readonly roundTrips: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly rssMb: number | null;
  readonly cpuMsPerRoundTrip: number | null;
}

const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';

/**
 * Tool calls per session: `coder` reads a file at each of its first steps, then answers, and the
 * client starts another session. Bounded, so that a level measures the same work however long
 * it runs (a session's context, which every step is given, grows with each call).
 */
export const CALLS_PER_SESSION = 20;

const READ_THEN_ANSWER = scriptModel({
  agents: {
    coder: [
      ...Array.from({ length: CALLS_PER_SESSION }, () => ({
        toolCalls: [{ name: 'read_file', arguments: { path: 'README.md' } }],
      })),
      { text: 'Read them all.' },
    ],
  },
});

// Idle PostgreSQL backends flush their pg_stat counters within about a second.
const STATS_FLUSH_MS = 1500;

/** The runtime's own database counters, read from its /metrics. */
async function readRuntimeCounters(
  runtimeUrl: string,
): Promise<{ queries: number | null; transactions: number | null; writes: number | null }> {
  const text = await (await fetch(`${runtimeUrl}/metrics`)).text();
  const counter = (name: string): number | null => {
    const match = new RegExp(`^${name} (\\d+)`, 'm').exec(text);
    return match ? Number(match[1]) : null;
  };
  return {
    queries: counter('baton_db_queries_total'),
    transactions: counter('baton_db_transactions_total'),
    writes: counter('baton_db_writes_total'),
  };
}

/**
 * Collects the round trips of each `seconds`-long interval with the runtime's RSS and CPU at its
 * end, printing a line per interval as it closes.
 */
function sampleIntervals(
  pid: number,
  start: number,
  seconds: number,
  print: (line: string) => void,
): { record: (ms: number) => void; stop: () => IntervalResult[] } {
  const intervals: IntervalResult[] = [];
  let current: number[] = [];
  let cpuAtStart = readCpuMs(pid);
  const close = (): void => {
    const cpu = readCpuMs(pid);
    const closed: IntervalResult = {
      atSeconds: Math.round((performance.now() - start) / 1000),
      roundTrips: current.length,
      p50Ms: percentile(current, 50),
      p99Ms: percentile(current, 99),
      rssMb: readRssMb(pid),
      cpuMsPerRoundTrip:
        cpu !== null && cpuAtStart !== null && current.length > 0
          ? (cpu - cpuAtStart) / current.length
          : null,
    };
    intervals.push(closed);
    print(
      `  ${closed.atSeconds} s: ${closed.roundTrips} rt, p50 ${closed.p50Ms.toFixed(1)} ms, ` +
        `p99 ${closed.p99Ms.toFixed(1)} ms, RSS ${closed.rssMb?.toFixed(0) ?? '–'} MB, ` +
        `CPU ${closed.cpuMsPerRoundTrip?.toFixed(2) ?? '–'} ms/rt\n`,
    );
    current = [];
    cpuAtStart = cpu;
  };
  const timer = setInterval(close, seconds * 1000);
  return {
    record: (ms) => current.push(ms),
    stop() {
      clearInterval(timer);
      return intervals;
    },
  };
}

/**
 * Runs one level on a fresh database and runtime: `clients` sessions set up, then every client
 * answers its tool calls for `seconds`; then the runtime stops and the database is dropped.
 */
export async function runLevel(args: {
  serverUrl: string | null;
  clients: number;
  seconds: number;
  /** The text each tool result carries. */
  resultBytes: number;
  /** Also report every this many seconds (a soak). */
  intervalSeconds?: number;
}): Promise<LevelResult> {
  const database = await createScenarioDatabase(args.serverUrl);
  const runtime = await startBenchRuntime({
    ...database.env,
    BATON_MODEL: READ_THEN_ANSWER,
    BATON_BOOTSTRAP_TOKEN: ADMIN_TOKEN,
    BATON_RATE_LIMIT: '0',
    BATON_MAX_RUN_STEPS: '100000',
    BATON_LOG_LEVEL: 'warn',
  });
  const pgUrl = database.env['DATABASE_URL'] ?? null;
  try {
    const admin = createBatonClient({ url: runtime.url, token: ADMIN_TOKEN });
    // A token per client, as each IDE has its own (a token's streams per replica are capped).
    const tokens = await Promise.all(
      Array.from({ length: args.clients }, async (_, i) => {
        const made = await admin.tokens.create.mutate({ name: `bench ${i}`, role: 'client' });
        return made.token;
      }),
    );
    const loops = tokens.map((token) =>
      startLoopClient(
        createBatonClient({ url: runtime.url, token }),
        { url: runtime.url, token },
        args.resultBytes,
      ),
    );
    await Promise.all(loops.map((loop) => loop.ready));
    let before: PgCounters | null = null;
    if (pgUrl) {
      await vacuum(pgUrl);
      await delay(STATS_FLUSH_MS);
      before = await readPgCounters(pgUrl);
    }
    const countersBefore = await readRuntimeCounters(runtime.url);
    const pid = runtime.child.pid ?? 0;
    const cpuBefore = readCpuMs(pid);
    const clientCpuBefore = process.cpuUsage();
    const rss = sampleRss(pid);
    const start = performance.now();
    const series = args.intervalSeconds
      ? sampleIntervals(pid, start, args.intervalSeconds, (line) => process.stderr.write(line))
      : null;
    const perClient = await Promise.all(
      loops.map((loop) => loop.drive(start + args.seconds * 1000, series?.record)),
    );
    const intervals = series?.stop();
    const elapsedS = (performance.now() - start) / 1000;
    const maxRssMb = rss.stop();
    const cpuAfter = readCpuMs(pid);
    const clientCpu = process.cpuUsage(clientCpuBefore);
    const countersAfter = await readRuntimeCounters(runtime.url);
    loops.forEach((loop) => loop.close());
    await runtime.stop();
    const durations = perClient.flat();
    let after: PgCounters | null = null;
    if (pgUrl) {
      await delay(STATS_FLUSH_MS);
      after = await readPgCounters(pgUrl);
    }
    const n = durations.length;
    const per = (a: number | null | undefined, b: number | null | undefined): number | null =>
      a != null && b != null && n > 0 ? (a - b) / n : null;
    return {
      database: database.kind,
      clients: args.clients,
      seconds: args.seconds,
      resultBytes: args.resultBytes,
      roundTrips: n,
      roundTripsPerSecond: n / elapsedS,
      p50Ms: percentile(durations, 50),
      p95Ms: percentile(durations, 95),
      p99Ms: percentile(durations, 99),
      commitsPerRoundTrip: per(after?.commits, before?.commits),
      statementsPerRoundTrip: per(after?.statements, before?.statements),
      queriesPerRoundTrip: per(countersAfter.queries, countersBefore.queries),
      transactionsPerRoundTrip: per(countersAfter.transactions, countersBefore.transactions),
      pgWritesPerRoundTrip:
        database.kind === 'postgres' ? per(countersAfter.writes, countersBefore.writes) : null,
      cpuMsPerRoundTrip: per(cpuAfter, cpuBefore),
      clientCpuMsPerRoundTrip: per((clientCpu.user + clientCpu.system) / 1000, 0),
      maxRssMb,
      ...(intervals ? { intervals } : {}),
    };
  } finally {
    if (runtime.child.exitCode === null) await runtime.stop();
    await database.drop();
  }
}
