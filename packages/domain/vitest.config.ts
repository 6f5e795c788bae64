import { defineConfig } from 'vitest/config';

// The environment is read here, once, and handed to the setup file with `provide`, so no test
// file and nothing under src/ touches process.env (STYLE.md rule 10).
const numRuns = Number(process.env.FC_NUM_RUNS ?? 1000);
const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    setupFiles: ['./vitest.setup.ts'],
    hookTimeout: 60_000,
    // 1,000 generated sessions per property take seconds, more when turbo runs suites in parallel.
    testTimeout: 120_000,
    provide: { fastCheck: seed === undefined ? { numRuns } : { numRuns, seed } },
  },
});
