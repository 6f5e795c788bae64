import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    hookTimeout: 60_000,
    // Loopback HTTP servers and model retries take a while when turbo runs every suite at once.
    testTimeout: 30_000,
  },
});
