import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

// The browser: CHROMIUM_PATH, else Debian's chromium when installed, else Playwright's own
// download (`npx playwright install chromium`, where the network allows it).
const executablePath =
  process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

// With DATABASE_URL, the specs written with dashboard-fixture.ts make their database on that
// PostgreSQL server; without it they run on PGlite.
const databaseUrl = process.env.DATABASE_URL ?? null;

export default defineConfig<object, { databaseUrl: string | null }>({
  testDir: './playwright',
  outputDir: './test-results/playwright',
  globalSetup: './playwright/global-setup.ts',
  // Each spec file starts its own runtime and dashboard; one at a time on a 2-core machine.
  workers: 1,
  fullyParallel: false,
  timeout: 120_000,
  expect: { timeout: 20_000 },
  reporter: [['list']],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      ...(executablePath ? { executablePath } : {}),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
        '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium', databaseUrl } }],
});
