import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    hookTimeout: 60_000,
    // Real processes and files; generous when turbo runs every suite on the 2 cores at once.
    testTimeout: 30_000,
  },
});
