import { inject } from 'vitest';

/**
 * The input fuzz's knobs, read from the environment once, in vitest.config.ts (`proof.fuzz`):
 * `BATON_PROOF_SCALE=full` (the knob of every proof of issue 6) runs the fuzz on every database
 * with 200 runs per property; the default, `ci`, runs 25 on one database (PostgreSQL when
 * DATABASE_URL is set, else PGlite); `BATON_FUZZ_RUNS=<n>` overrides the runs per property;
 * `FC_SEED=<seed>` replays a failure (fast-check prints the seed of every failing property).
 */
const { fuzz } = inject('proof');

/** fast-check's settings for every fuzz property. */
export const FUZZ_SETTINGS: { readonly numRuns: number; readonly seed?: number } = {
  numRuns: fuzz.runs,
  ...(fuzz.seed !== null ? { seed: fuzz.seed } : {}),
};

/** Whether to fuzz every database, or only the last of those the scenarios run on. */
export const FUZZ_EVERY_BACKEND = fuzz.everyBackend;
