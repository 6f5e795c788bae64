import { defineConfig } from 'vitest/config';

// The environment is read here once and handed to the scenarios with `provide`: with
// DATABASE_URL set, every scenario runs on PostgreSQL too, each in a fresh database.
const databaseUrl = process.env.DATABASE_URL ?? null;

// The crash and replica storms (issue 6) run small in CI and at full size on demand:
// BATON_PROOF_SCALE=full. Their random moments come from one seed, printed when a storm fails;
// BATON_PROOF_SEED=<that seed> replays the same schedule.
const PROOF_SIZES = {
  ci: {
    // One backend: PostgreSQL when DATABASE_URL is set, else PGlite.
    crash: { plans: 5, kills: 6, everyBackend: false },
    replicas: { replicas: 3, stormSessions: 4, copies: 10, plans: 4, maxCopies: 3 },
    fuzz: { runs: 25, everyBackend: false },
  },
  full: {
    crash: { plans: 20, kills: 30, everyBackend: true },
    replicas: { replicas: 3, stormSessions: 20, copies: 25, plans: 20, maxCopies: 3 },
    fuzz: { runs: 200, everyBackend: true },
  },
} as const;

function readProof() {
  const scale = process.env.BATON_PROOF_SCALE ?? 'ci';
  if (scale !== 'ci' && scale !== 'full') {
    throw new Error(`BATON_PROOF_SCALE: expected ci or full, got ${JSON.stringify(scale)}`);
  }
  const given = process.env.BATON_PROOF_SEED || undefined;
  const seed = given === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(given);
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new Error(`BATON_PROOF_SEED: expected a whole number ≥ 0, got ${JSON.stringify(given)}`);
  }
  // The input fuzz: BATON_FUZZ_RUNS overrides its runs per property, FC_SEED replays a failure.
  const sizes = PROOF_SIZES[scale];
  const runs = process.env.BATON_FUZZ_RUNS ? Number(process.env.BATON_FUZZ_RUNS) : sizes.fuzz.runs;
  if (!Number.isSafeInteger(runs) || runs < 1) {
    throw new Error(`BATON_FUZZ_RUNS: expected a whole number ≥ 1, got ${JSON.stringify(runs)}`);
  }
  const fuzzSeed = process.env.FC_SEED ? Number(process.env.FC_SEED) : null;
  return { scale, seed, ...sizes, fuzz: { ...sizes.fuzz, runs, seed: fuzzSeed } } as const;
}

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    globalSetup: ['src/global-setup.ts'],
    hookTimeout: 120_000,
    testTimeout: 120_000,
    // Each file starts runtime processes; two at a time keep the 2-core machine responsive.
    maxWorkers: 2,
    provide: { databaseUrl, proof: readProof() },
  },
});
