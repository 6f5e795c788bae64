import { defineConfig } from 'vitest/config';

// The environment is read here, once, and handed to the tests with `provide`, so no test file
// and nothing under src/ touches process.env (STYLE.md rule 10). With DATABASE_URL set, every
// database test also runs on PostgreSQL, each file in a fresh database of its own.
const databaseUrl = process.env.DATABASE_URL ?? null;

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    globalSetup: ['./vitest.global-setup.ts'],
    setupFiles: ['./vitest.setup.ts'],
    hookTimeout: 60_000,
    testTimeout: 30_000,
    provide: { databaseUrl },
  },
});
