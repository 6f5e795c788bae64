/**
 * The only place the benchmark reads the environment. `DATABASE_URL` set: every level runs on a
 * fresh PostgreSQL database created on that server; unset: on a fresh PGlite folder.
 */
export const benchEnv = {
  /** A PostgreSQL server URL (any database on it; the benchmark creates its own), or null. */
  databaseUrl: process.env.DATABASE_URL ?? null,
  /** The PATH handed to the runtime process. */
  path: process.env.PATH ?? '',
  /** Options for the runtime's `node` (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`), when profiling. */
  nodeArgs: (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean),
} as const;
