import type { Request } from '@playwright/test';
import { eventsOf } from '../src/harness/event-data';
import { recordEvents, runIdleAfter } from '../src/harness/events';
import { expect, logIn, screenshot, test, useDashboard } from './dashboard-fixture';

// Issue 5: the live feed recovers after the runtime restarts. The runtime is stopped and started
// again on the same port and database while a session page is open; the page says it lost the
// feed, comes back by itself, resumes after the last event it saw (lastEventId), and shows the
// events of a new run once each — without a reload.

const dashboard = useDashboard({
  script: {
    agents: { coder: [{ text: 'First answer.' }, { text: 'Second answer.' }] },
    repeatLast: true,
  },
});

/** The `lastEventId` a `sessions.events` subscription request resumes from, if any. */
async function resumesFrom(request: Request): Promise<string | null> {
  const header = (await request.allHeaders())['last-event-id'];
  if (header) return header;
  const input = new URL(request.url()).searchParams.get('input');
  const parsed = input ? (JSON.parse(input) as { lastEventId?: string | null }) : {};
  return parsed.lastEventId ?? null;
}

test('a session page and the overview show the feed drop while the runtime restarts, then resume without a gap or a repeat', async ({
  page,
}) => {
  const { scenario, web } = dashboard;
  const session = await scenario.client.sessions.create.mutate({
    title: 'Restart me',
    agent: 'coder',
  });
  const before = recordEvents(scenario.client, session.id);
  await scenario.client.messages.send.mutate({ sessionId: session.id, content: 'First.' });
  const firstIdle = await before.waitFor(runIdleAfter(0));
  before.close();

  await logIn(page, web.url, scenario.tokens.operator);
  await page.goto(`${web.url}/sessions/${session.id}`);
  const indicator = page.getByRole('status', { name: /^Live updates:/ });
  const events = page.getByRole('table', { name: 'Latest events' });
  await expect(indicator).toHaveAccessibleName('Live updates: Live');
  await expect(events.locator(`tr[data-seq="${firstIdle.seq}"]`)).toBeVisible();
  // Set on this document: still there at the end means the page was never reloaded.
  await page.evaluate(() => {
    (globalThis as { batonNoReload?: boolean }).batonNoReload = true;
  });

  // Every subscription request from now on, with where it resumes from.
  const resubscriptions: Promise<string | null>[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/api/trpc/sessions.events')) {
      resubscriptions.push(resumesFrom(request));
    }
  });

  // A second tab on the overview, which follows every session's events from "now".
  const overview = await page.context().newPage();
  await overview.goto(`${web.url}/`);
  const overviewIndicator = overview.getByRole('status', { name: /^Live updates:/ });
  const idleSessions = overview
    .getByRole('region', { name: 'Sessions by state' })
    .locator('dt:text-is("idle") + dd');
  await expect(overviewIndicator).toHaveAccessibleName('Live updates: Live');
  await expect(idleSessions).toHaveText('1');
  await overview.evaluate(() => {
    (globalThis as { batonNoReload?: boolean }).batonNoReload = true;
  });

  const { session: stored } = await scenario.client.sessions.get.query({ sessionId: session.id });
  const lastSeqBefore = stored.lastSeq;
  await expect(events.locator(`tr[data-seq="${lastSeqBefore}"]`)).toBeVisible();

  await test.step('stop the runtime: the page says the feed is down', async () => {
    await scenario.runtime.stop();
    await expect(indicator).toHaveAccessibleName(/Live updates: (Reconnecting…|Disconnected)/);
    await expect(overviewIndicator).toHaveAccessibleName(
      /Live updates: (Reconnecting…|Disconnected)/,
    );
    await screenshot(page, 'session-reconnecting');
  });

  await test.step('start it again on the same port and database: the page is live again', async () => {
    const port = new URL(scenario.runtime.url).port;
    const restarted = await scenario.startReplica({ BATON_PORT: port });
    expect(restarted.url).toBe(scenario.runtime.url);
    await expect(indicator).toHaveAccessibleName('Live updates: Live');
    await expect(overviewIndicator).toHaveAccessibleName('Live updates: Live');
  });

  await test.step('the overview counts a session made after the restart, live', async () => {
    await scenario.client.sessions.create.mutate({ title: 'After the restart' });
    await expect(idleSessions).toHaveText('2');
    expect(
      await overview.evaluate(() => (globalThis as { batonNoReload?: boolean }).batonNoReload),
    ).toBe(true);
  });

  const streamed =
    await test.step('a new run shows up on the page, each event once, right after the old ones', async () => {
      await scenario.client.messages.send.mutate({ sessionId: session.id, content: 'Second.' });
      const after = recordEvents(scenario.client, session.id);
      const secondIdle = await after.waitFor(runIdleAfter(firstIdle.seq));
      after.close();
      await expect(events.locator(`tr[data-seq="${secondIdle.seq}"]`)).toBeVisible();
      await expect(page.getByRole('region', { name: 'Conversation' })).toContainText(
        'Second answer.',
      );
      // The page lists every event but streamed text, newest first: exactly the stream's.
      const expected = after.events
        .filter((e) => e.type !== 'message.delta')
        .map((e) => String(e.seq))
        .reverse();
      await expect(events.locator('tbody tr')).toHaveCount(expected.length);
      const shown = await Promise.all(
        (await events.locator('tbody tr').all()).map((row) => row.getAttribute('data-seq')),
      );
      expect(shown).toEqual(expected);
      expect(eventsOf(after.events, 'message.assistant').map((e) => e.data.text)).toEqual([
        'First answer.',
        'Second answer.',
      ]);
      return after.events;
    });

  await test.step('it resumed from the last event it had seen, and never reloaded', async () => {
    const lastBefore = streamed.find((e) => e.seq === lastSeqBefore);
    const resumed = await Promise.all(resubscriptions);
    expect(resumed.length).toBeGreaterThan(0);
    expect(new Set(resumed)).toEqual(new Set([lastBefore?.id]));
    expect(
      await page.evaluate(() => (globalThis as { batonNoReload?: boolean }).batonNoReload),
    ).toBe(true);
    await screenshot(page, 'session-after-restart');
  });
});
