import { waitForEvent } from '../src/harness/event-data';
import { recordEvents } from '../src/harness/events';
import { planScript } from '../src/harness/plan-script';
import { expect, logIn, screenshot, SCREENSHOTS, test, useDashboard } from './dashboard-fixture';

// Issue 5: screenshots of the main pages, light and dark, kept as test artifacts under
// e2e/test-results/screenshots/ (<page>-<scheme>.png). The session is caught mid-plan, with a
// write waiting for approval, so every panel has something to show. The pages load nothing
// from outside the dashboard (no fonts, no assets from the network).

const dashboard = useDashboard({ script: planScript() });

/** The page background each colour scheme must give (globals.css `--bg`). */
const BACKGROUND = { light: 'rgb(250, 250, 250)', dark: 'rgb(20, 21, 24)' } as const;

test('the main pages in light and dark, served only from the dashboard itself', async ({
  page,
}) => {
  const { scenario, web } = dashboard;
  const { client } = scenario;
  const session = await client.sessions.create.mutate({ title: 'Greeting module' });
  const recorder = recordEvents(client, session.id);
  await client.messages.send.mutate({ sessionId: session.id, content: 'Add a greeting module.' });
  const planned = await waitForEvent(recorder, 'plan.created');
  await client.plans.decide.mutate({ planId: planned.data.planId, decision: 'approve' });
  for (const name of ['read_file', 'list_files']) {
    const read = await waitForEvent(recorder, 'tool_call.dispatched', (e) => e.data.name === name);
    await client.toolResults.submit.mutate({
      sessionId: session.id,
      callId: read.data.callId,
      result: `output of ${name}`,
    });
  }
  await waitForEvent(recorder, 'approval.requested', (e) => e.data.name === 'write_file');
  recorder.close();

  const elsewhere: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(web.url) && !request.url().startsWith('data:')) {
      elsewhere.push(request.url());
    }
  });
  await logIn(page, web.url, scenario.tokens.operator);

  for (const scheme of ['light', 'dark'] as const) {
    await test.step(`${scheme}`, async () => {
      await page.emulateMedia({ colorScheme: scheme });
      const live = page.getByRole('status', { name: 'Live updates: Live' });

      await page.goto(`${web.url}/`);
      await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
      await expect(live).toBeVisible();
      expect(await page.evaluate('getComputedStyle(document.body).backgroundColor')).toBe(
        BACKGROUND[scheme],
      );
      await screenshot(page, `overview-${scheme}`);

      await page.goto(`${web.url}/sessions`);
      await expect(page.getByRole('link', { name: 'Greeting module' })).toBeVisible();
      await expect(live).toBeVisible();
      await screenshot(page, `sessions-${scheme}`);

      await page.goto(`${web.url}/sessions/${session.id}`);
      await expect(live).toBeVisible();
      await expect(page.getByRole('img', { name: /^Plan graph: 3 subtasks/ })).toBeVisible();
      const approvals = page.getByRole('region', { name: 'Pending approvals' });
      await expect(approvals).toContainText('src/greet.ts');
      await expect(page.getByRole('table', { name: 'Latest events' })).toBeVisible();
      await screenshot(page, `session-${scheme}`);
      await approvals.screenshot({ path: `${SCREENSHOTS}approvals-${scheme}.png` });
      await page.getByRole('button', { name: 'Edit arguments of write_file' }).click();
      await expect(approvals.getByRole('status')).toContainText('Valid, but unchanged');
      await approvals.screenshot({ path: `${SCREENSHOTS}approval-editor-${scheme}.png` });

      await page.goto(`${web.url}/decisions`);
      await expect(page.getByRole('table')).toContainText('resume_subtask');
      await expect(live).toBeVisible();
      await screenshot(page, `decisions-${scheme}`);
    });
  }
  expect(elsewhere).toEqual([]);
});
