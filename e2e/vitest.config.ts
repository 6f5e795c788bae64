import { defineConfig } from 'vitest/config';

// The environment is read here once and handed to the scenarios with `provide`: with
// DATABASE_URL set, every scenario runs on PostgreSQL too, each in a fresh database.
const databaseUrl = process.env.DATABASE_URL ?? null;

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    hookTimeout: 120_000,
    testTimeout: 120_000,
    // Each file starts runtime processes; two at a time keep the 2-core machine responsive.
    maxWorkers: 2,
    provide: { databaseUrl },
  },
});
