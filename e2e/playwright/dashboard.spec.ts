import type { Page } from '@playwright/test';
import { waitForEvent } from '../src/harness/event-data';
import type { EventRecorder } from '../src/harness/events';
import { recordEvents } from '../src/harness/events';
import { planScript } from '../src/harness/plan-script';
import { expect, screenshot, test, useDashboard } from './dashboard-fixture';

// SPEC §11.13: an operator logs in, watches a plan progress live, sees a `resume_subtask`
// decision appear without reloading, approves a plan and a tool call from the page, cancels a
// plan. The test itself plays the IDE, answering tool calls through @baton/client.

const dashboard = useDashboard({ script: planScript() });

const shot = (page: Page, name: string) => screenshot(page, name);

async function logIn(page: Page, token: string): Promise<void> {
  await page.goto(`${dashboard.web.url}/login`);
  await page.getByLabel('Operator token').fill(token);
  await page.getByRole('button', { name: 'Log in' }).click();
}

test('an unauthenticated visit goes to the login page; a client token is refused; logout forgets the login', async ({
  page,
}) => {
  const { scenario, web } = dashboard;
  await page.goto(`${web.url}/sessions`);
  await expect(page).toHaveURL(/\/login\?next=%2Fsessions$/);
  await shot(page, 'login');

  await logIn(page, scenario.tokens.client);
  await expect(
    page.getByRole('alert').filter({ hasText: 'needs an operator token' }),
  ).toBeVisible();

  // The login link logs in at once (login-link.spec.ts: it never renders the token).
  await page.goto(`${web.url}/login?token=${encodeURIComponent(scenario.tokens.operator)}`);
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  // The token is in an httpOnly, SameSite=Lax cookie: page script cannot read it.
  const [cookie] = await page.context().cookies();
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
  expect(await page.evaluate('document.cookie')).not.toContain(scenario.tokens.operator);

  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto(`${web.url}/`);
  await expect(page).toHaveURL(/\/login$/);
});

test('an operator approves a plan and a tool call, watches the plan progress live, and cancels it', async ({
  page,
}) => {
  const { scenario } = dashboard;
  const { client } = scenario;
  const session = await client.sessions.create.mutate({ title: 'Greeting module' });
  const recorder: EventRecorder = recordEvents(client, session.id);
  await client.messages.send.mutate({ sessionId: session.id, content: 'Add a greeting module.' });
  await recorder.waitFor((e) => e.type === 'run.state' && e.data.to === 'awaiting_plan_decision');

  await test.step('log in and find the session', async () => {
    await logIn(page, scenario.tokens.operator);
    await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Sessions by state' })).toContainText(
      'awaiting plan decision',
    );
    await shot(page, 'overview');
    await page.getByRole('link', { name: 'Sessions' }).click();
    await expect(page.getByRole('link', { name: 'Greeting module' })).toBeVisible();
    await shot(page, 'sessions');
    await page.getByRole('link', { name: 'Greeting module' }).click();
    await expect(page.getByRole('heading', { name: 'Greeting module' })).toBeVisible();
    await expect(page.getByRole('status', { name: /Live updates: Live/ })).toBeVisible();
  });

  const plan = page.getByRole('region', { name: 'Plan' });
  const subtask = (title: string) =>
    plan.getByRole('table', { name: 'Subtasks' }).getByRole('row', { name: new RegExp(title) });
  const decisionLog = page.getByRole('region', { name: 'Decision log' });

  await test.step('approve the plan from the page', async () => {
    await expect(plan).toContainText('Plan status: awaiting approval');
    await expect(subtask('Write src/greet.ts')).toContainText('pending');
    await page.getByRole('button', { name: 'Approve plan' }).click();
    await expect(plan).toContainText('Plan status: in progress');
    await expect(subtask('Write src/greet.ts')).toContainText('running');
  });

  await test.step('the IDE answers the first reads; a resume_subtask decision appears live', async () => {
    const reads = await Promise.all([
      waitForEvent(recorder, 'tool_call.dispatched', (e) => e.data.name === 'read_file'),
      waitForEvent(recorder, 'tool_call.dispatched', (e) => e.data.name === 'list_files'),
    ]);
    for (const read of reads) {
      await client.toolResults.submit.mutate({
        sessionId: session.id,
        callId: read.data.callId,
        result: `output of ${read.data.name}`,
      });
    }
    await expect(decisionLog).toContainText('wait_for_siblings');
    await expect(decisionLog).toContainText('resume_subtask');
  });

  await test.step('approve the gated write_file from the page; the IDE runs it', async () => {
    const approve = page.getByRole('button', { name: 'Approve write_file' });
    await expect(approve).toBeVisible();
    await expect(page.getByRole('region', { name: 'Pending approvals' })).toContainText(
      'src/greet.ts',
    );
    await shot(page, 'session-approval');
    await approve.click();
    await expect(page.getByRole('region', { name: 'Pending approvals' })).toContainText(
      'Nothing waits for approval.',
    );
    const write = await waitForEvent(
      recorder,
      'tool_call.dispatched',
      (e) => e.data.name === 'write_file',
    );
    await client.toolResults.submit.mutate({
      sessionId: session.id,
      callId: write.data.callId,
      result: 'written',
    });
    await expect(subtask('Write src/greet.ts')).toContainText('completed');
    await expect(subtask('Export greet from src/index.ts')).toContainText('running');
    await expect(
      page.getByRole('list', { name: 'Run states' }).locator('[aria-current="step"]'),
    ).toHaveText('awaiting tools');
    await shot(page, 'session-progress');
  });

  await test.step('cancel the plan from the page', async () => {
    await page.getByRole('button', { name: 'Cancel plan…' }).click();
    await page.getByRole('button', { name: 'Yes, cancel the plan' }).click();
    await expect(plan).toContainText('Plan status: cancelled');
    await expect(subtask('Export greet from src/index.ts')).toContainText('cancelled');
    await expect(decisionLog).toContainText('plan_cancelled');
    await expect(page.getByLabel('Path taken')).toContainText('awaiting_plan_decision');
    await shot(page, 'session-cancelled');
  });

  await test.step('the global decision feed shows the decisions, filterable by kind', async () => {
    await page.getByRole('link', { name: 'Decisions' }).click();
    // The session page also has tables and a live indicator: wait for the decisions page itself.
    await expect(page).toHaveURL(/\/decisions/);
    await expect(page.getByRole('table')).toHaveCount(1);
    await expect(page.getByRole('status', { name: /Live updates: Live/ })).toBeVisible();
    await expect(page.getByRole('table')).toContainText('plan_cancelled');
    await page.getByLabel('Kind').selectOption('resume_subtask');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect(page).toHaveURL(/kind=resume_subtask/);
    await expect(page.getByRole('table')).toContainText('resume_subtask');
    await expect(page.getByRole('table')).not.toContainText('plan_cancelled');
    await shot(page, 'decisions');
  });
  recorder.close();
});
