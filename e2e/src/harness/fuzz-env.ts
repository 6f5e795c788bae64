/**
 * The input fuzz's knobs, read from the environment here and nowhere else (vitest.config.ts
 * belongs to every scenario; these concern one file):
 * - `BATON_PROOF_SCALE=full` (the knob of every proof of issue 6) runs the fuzz on every database
 *   with 200 runs per property; the default, `ci`, runs 25 on one database (PostgreSQL when
 *   DATABASE_URL is set, else PGlite): about a minute on a loaded 2-core machine;
 * - `BATON_FUZZ_RUNS=<n>` overrides the runs per property;
 * - `FC_SEED=<seed>` replays a failure: fast-check prints the seed of every failing property.
 */
const full = process.env.BATON_PROOF_SCALE === 'full';
const runs = process.env.BATON_FUZZ_RUNS;
const seed = process.env.FC_SEED;

/** fast-check's settings for every fuzz property. */
export const FUZZ_SETTINGS: { readonly numRuns: number; readonly seed?: number } = {
  numRuns: runs ? Number(runs) : full ? 200 : 25,
  ...(seed ? { seed: Number(seed) } : {}),
};

/** Whether to fuzz every database, or only the last of those the scenarios run on. */
export const FUZZ_EVERY_BACKEND = full;
