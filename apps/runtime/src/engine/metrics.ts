import type { AppliedInput } from '@baton/db';
import type { AgentName, SessionInput } from '@baton/domain';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The engine's Prometheus metrics (served at `GET /metrics`). */
export interface EngineMetrics {
  readonly registry: Registry;
  recordApplied(input: SessionInput, applied: AppliedInput): void;
  observeModelStep(agent: AgentName, ms: number, outcome: 'ok' | 'error'): void;
}

/** How long one count of sessions by run state answers scrapes (a scrape storm: one query). */
export const DEFAULT_RUNS_TTL_MS = 5_000;

/**
 * `read`, answered from its last result for `ttlMs`: concurrent calls share one read, and a
 * failed read is not kept (the next call tries again).
 */
export function cachedFor<T>(
  read: () => Promise<T>,
  ttlMs: number,
  now: () => number,
): () => Promise<T> {
  let last: { value: Promise<T>; at: number } | null = null;
  return () => {
    const time = now();
    if (last && time - last.at < ttlMs) return last.value;
    const value = read();
    const entry = { value, at: time };
    last = entry;
    value.catch(() => {
      if (last === entry) last = null;
    });
    return value;
  };
}

/**
 * Creates the metrics of one replica. `activeRuns` is read from the database at scrape time,
 * so every replica reports the same, true number — at most once per `runsTtlMs`, however many
 * scrapes come (a COUNT over every session is not free).
 */
export function createEngineMetrics(
  activeRuns: () => Promise<Record<string, number>>,
  database: { queryCount(): number; transactionCount(): number; writeCount(): number } = {
    queryCount: () => 0,
    transactionCount: () => 0,
    writeCount: () => 0,
  },
  options: { runsTtlMs?: number; now?: () => number } = {},
): EngineMetrics {
  const runsByState = cachedFor(
    activeRuns,
    options.runsTtlMs ?? DEFAULT_RUNS_TTL_MS,
    options.now ?? Date.now,
  );
  const registry = new Registry();
  const decisions = new Counter({
    name: 'baton_decisions_total',
    help: 'Decisions recorded by this replica, by kind (SPEC §6).',
    labelNames: ['kind'],
    registers: [registry],
  });
  const toolRoundTrip = new Histogram({
    name: 'baton_tool_round_trip_seconds',
    help: 'From a tool call dispatched to its result accepted.',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  const modelStep = new Histogram({
    name: 'baton_model_step_seconds',
    help: 'Duration of model steps, by agent and outcome.',
    labelNames: ['agent', 'outcome'],
    buckets: [0.001, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [registry],
  });
  new Gauge({
    name: 'baton_runs',
    help: 'Sessions by run state (from the database).',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const counts = await runsByState();
      this.reset();
      for (const [state, count] of Object.entries(counts)) this.set({ state }, count);
    },
  });
  new Counter({
    name: 'baton_db_queries_total',
    help: 'Queries this replica ran on the database (BEGIN and COMMIT not included).',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(database.queryCount());
    },
  });
  new Counter({
    name: 'baton_db_transactions_total',
    help: 'Transactions this replica committed on the database.',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(database.transactionCount());
    },
  });
  new Counter({
    name: 'baton_db_writes_total',
    help: 'Writes (system calls) to PostgreSQL sockets, each carrying one or more statements.',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(database.writeCount());
    },
  });
  return {
    registry,
    recordApplied(input, applied) {
      for (const decision of applied.result.decisions) decisions.inc({ kind: decision.kind });
      if (input.type !== 'tool_result' || applied.result.outcome.ok !== true) return;
      if (applied.result.outcome.duplicate) return;
      const call = applied.result.state.calls[input.callId];
      if (call?.dispatchedAt && call.resolvedAt) {
        toolRoundTrip.observe((Date.parse(call.resolvedAt) - Date.parse(call.dispatchedAt)) / 1000);
      }
    },
    observeModelStep(agent, ms, outcome) {
      modelStep.observe({ agent, outcome }, ms / 1000);
    },
  };
}
