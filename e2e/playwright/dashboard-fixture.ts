import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { test as base } from '@playwright/test';
import type { Scenario, Script } from '../src/harness/scenario';
import { startScenario } from '../src/harness/scenario';
import type { WebServer } from './web-server';
import { startWebServer } from './web-server';

/** Where the specs keep their screenshots of the pages (a test artifact, not compared). */
export const SCREENSHOTS = fileURLToPath(new URL('../test-results/screenshots/', import.meta.url));

/**
 * Playwright's `test` with the `databaseUrl` option (worker-scoped): the PostgreSQL server a spec
 * makes its database on, or null for PGlite. The config sets it from DATABASE_URL.
 */
export const test = base.extend<object, { databaseUrl: string | null }>({
  databaseUrl: [null, { option: true, scope: 'worker' }],
});
export { expect } from '@playwright/test';

/** A runtime (scripted model) and a dashboard in front of it, shared by one spec file. */
export interface Dashboard {
  readonly scenario: Scenario;
  readonly web: WebServer;
}

/**
 * Starts a runtime and the dashboard before the file's tests, stops them after, and attaches
 * both servers' output to a failed test. The returned object's fields are set once started.
 */
export function useDashboard(options: { script: Script; env?: Record<string, string> }): Dashboard {
  const state: { scenario?: Scenario; web?: WebServer } = {};
  test.beforeAll(async ({ databaseUrl }) => {
    test.setTimeout(180_000);
    mkdirSync(SCREENSHOTS, { recursive: true });
    state.scenario = await startScenario({
      databaseUrl,
      script: options.script,
      ...(options.env ? { env: options.env } : {}),
    });
    state.web = await startWebServer(state.scenario.runtime.url);
  });
  // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures from this pattern.
  test.afterEach(async ({}, testInfo) => {
    if (testInfo.status === testInfo.expectedStatus) return;
    await testInfo.attach('dashboard output', {
      body: state.web?.output.join('') ?? '',
      contentType: 'text/plain',
    });
    await testInfo.attach('runtime output', {
      body: state.scenario?.runtime.logs.join('\n') ?? '',
      contentType: 'text/plain',
    });
  });
  test.afterAll(async () => {
    await state.web?.stop();
    await state.scenario?.close();
  });
  return {
    get scenario() {
      if (!state.scenario) throw new Error('the scenario has not started');
      return state.scenario;
    },
    get web() {
      if (!state.web) throw new Error('the dashboard has not started');
      return state.web;
    },
  };
}

/** Logs in through the login page with `token` and waits for the overview. */
export async function logIn(page: Page, webUrl: string, token: string): Promise<void> {
  await page.goto(`${webUrl}/login`);
  await page.getByLabel('Operator token').fill(token);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
}

/** A full-page screenshot kept under test-results/screenshots/`name`.png. */
export function screenshot(page: Page, name: string): Promise<Buffer> {
  return page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
}
