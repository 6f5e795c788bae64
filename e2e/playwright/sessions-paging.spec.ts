import type { Page } from '@playwright/test';
import type { BatonClient } from '@baton/client';
import { recordEvents } from '../src/harness/events';
import { expect, logIn, test, useDashboard } from './dashboard-fixture';

// Issue 5: 1,000 sessions page and filter correctly. They are made through the API (as clients
// make them), a few of them brought to other run states by a real model step; the sessions page
// is then read the way an operator reads it: a keyset page at a time with "Load more", and
// filtered by state and by title.

const TOTAL = 1000;
const PAGE = 50;
/** Sessions whose coder asks for a gated write_file: they wait for approval. */
const AWAITING_APPROVAL = [8, 16, 24, 101, 202, 303, 404];
/** Sessions whose debug agent asks for a read: they wait for the IDE. */
const AWAITING_TOOLS = [3, 150, 333, 610, 999];
const isNeedle = (i: number) => i % 8 === 0;
const title = (i: number) =>
  `Load ${String(i).padStart(4, '0')}${isNeedle(i) ? ' needle' : ''}${i === 7 ? ' at 100% done' : ''}`;

const dashboard = useDashboard({
  script: {
    agents: {
      coder: [{ toolCalls: [{ name: 'write_file', arguments: { path: 'a.txt', content: 'a' } }] }],
      debug: [{ toolCalls: [{ name: 'read_file', arguments: { path: 'a.txt' } }] }],
    },
  },
  // The seeding makes ~1,000 calls with one token in seconds; the default limit (1,200 a minute)
  // is for production clients, not for this.
  env: { BATON_RATE_LIMIT: '0' },
});

/** Makes the 1,000 sessions, 50 calls at a time (one batched HTTP request each); index → id. */
async function seed(client: BatonClient): Promise<Map<number, string>> {
  const ids = new Map<number, string>();
  const agentOf = (i: number) =>
    AWAITING_APPROVAL.includes(i) ? 'coder' : AWAITING_TOOLS.includes(i) ? 'debug' : undefined;
  for (let start = 0; start < TOTAL; start += PAGE) {
    const batch = Array.from({ length: Math.min(PAGE, TOTAL - start) }, (_, k) => start + k);
    const made = await Promise.all(
      batch.map((i) => {
        const agent = agentOf(i);
        return client.sessions.create.mutate({ title: title(i), ...(agent ? { agent } : {}) });
      }),
    );
    made.forEach((session, k) => ids.set(batch[k] as number, session.id));
  }
  // A model step each: the coders stop at their approval, the debuggers at their read.
  await Promise.all(
    [...AWAITING_APPROVAL, ...AWAITING_TOOLS].map(async (i) => {
      const sessionId = ids.get(i) as string;
      const recorder = recordEvents(client, sessionId);
      await client.messages.send.mutate({ sessionId, content: 'Go.' });
      const target = AWAITING_APPROVAL.includes(i) ? 'awaiting_approval' : 'awaiting_tools';
      await recorder.waitFor((e) => e.type === 'run.state' && e.data.to === target);
      recorder.close();
    }),
  );
  return ids;
}

/** The little of a DOM element the listing reads (the e2e types have no DOM library). */
interface CellElement {
  querySelector(selector: string): CellElement | null;
  getAttribute(name: string): string | null;
  readonly textContent: string | null;
}

/** The sessions the table lists, in order: id (from the link), title and last activity. */
function listed(page: Page): Promise<{ id: string; at: string; title: string }[]> {
  // One round trip for the whole table: a locator call per row is minutes for 1,000 rows.
  return page
    .getByRole('table', { name: 'Sessions' })
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map((element) => {
        const row = element as unknown as CellElement;
        const link = row.querySelector('a');
        return {
          id: (link?.getAttribute('href') ?? '').replace('/sessions/', ''),
          title: link?.textContent ?? '',
          at: row.querySelector('time')?.getAttribute('datetime') ?? '',
        };
      }),
    );
}

/** Clicks "Load more" until every page is there; checks each click adds one page. */
async function loadAll(page: Page, onPage?: (pages: number) => Promise<void>): Promise<void> {
  const more = page.getByRole('button', { name: 'Load more' });
  const rows = page.getByRole('table', { name: 'Sessions' }).locator('tbody tr');
  for (let pages = 1; await more.isVisible(); pages++) {
    await expect(rows).toHaveCount(pages * PAGE);
    await onPage?.(pages);
    await more.click();
    await expect(rows).not.toHaveCount(pages * PAGE);
  }
}

async function filter(page: Page, webUrl: string, state: string, search: string): Promise<void> {
  await page.getByLabel('State').selectOption(state);
  await page.getByLabel('Title contains').fill(search);
  await page.getByRole('button', { name: 'Filter' }).click();
  const query = new URLSearchParams({ status: state, q: search }).toString();
  await expect(page).toHaveURL(`${webUrl}/sessions?${query}`);
}

test('1,000 sessions: every one listed once, in order, a keyset page at a time; the filters count right', async ({
  page,
}) => {
  test.setTimeout(600_000);
  const { scenario, web } = dashboard;
  const started = Date.now();
  const ids = await seed(scenario.client);
  test.info().annotations.push({
    type: 'seeding',
    description: `${TOTAL} sessions in ${Date.now() - started} ms`,
  });
  const seeded = new Set(ids.values());
  const idOf = (i: number) => ids.get(i) as string;

  await logIn(page, web.url, scenario.tokens.operator);

  const late: string[] = [];
  await test.step('page through all of them while new sessions arrive at the top', async () => {
    await page.goto(`${web.url}/sessions`);
    await expect(page.getByText('50 sessions shown; more to load below')).toBeVisible();
    await loadAll(page, async (pages) => {
      // Newer sessions sort first: an offset would now shift every later page by five.
      if (pages !== 3) return;
      for (let n = 1; n <= 5; n++) {
        late.push((await scenario.client.sessions.create.mutate({ title: `Late ${n}` })).id);
      }
    });
    const rows = await listed(page);
    const shownIds = rows.map((r) => r.id);
    expect(new Set(shownIds).size).toBe(shownIds.length);
    // Every seeded session exactly once; the late ones only if a page was refetched.
    expect(shownIds.filter((id) => seeded.has(id))).toHaveLength(TOTAL);
    expect(shownIds.filter((id) => !seeded.has(id)).every((id) => late.includes(id))).toBe(true);
    await expect(page.getByText(`${rows.length} sessions shown`, { exact: true })).toBeVisible();
    // Most recent activity first, ties by id (descending), as the keyset orders them.
    for (let k = 1; k < rows.length; k++) {
      const [prev, cur] = [rows[k - 1]!, rows[k]!];
      const ordered = prev.at > cur.at || (prev.at === cur.at && prev.id > cur.id);
      expect(ordered, `row ${k}: ${JSON.stringify([prev, cur])}`).toBe(true);
    }
  });

  await test.step('filter by state', async () => {
    await filter(page, web.url, 'awaiting_approval', '');
    await expect(page.getByText('7 sessions shown', { exact: true })).toBeVisible();
    expect(new Set((await listed(page)).map((r) => r.id))).toEqual(
      new Set(AWAITING_APPROVAL.map(idOf)),
    );
    await filter(page, web.url, 'awaiting_tools', '');
    await expect(page.getByText('5 sessions shown', { exact: true })).toBeVisible();
    expect(new Set((await listed(page)).map((r) => r.id))).toEqual(
      new Set(AWAITING_TOOLS.map(idOf)),
    );
    await filter(page, web.url, 'model_step', '');
    await expect(page.getByText('No sessions match.')).toBeVisible();
  });

  await test.step('search titles, over several pages, and with a state', async () => {
    const needles = [...ids.keys()].filter(isNeedle).map(idOf);
    expect(needles).toHaveLength(125);
    await filter(page, web.url, '', 'NEEDLE');
    await expect(page.getByText('50 sessions shown; more to load below')).toBeVisible();
    await loadAll(page);
    const found = await listed(page);
    expect(found).toHaveLength(125);
    expect(new Set(found.map((r) => r.id))).toEqual(new Set(needles));
    expect(found.every((r) => r.title.includes('needle'))).toBe(true);

    await filter(page, web.url, 'awaiting_approval', 'needle');
    await expect(page.getByText('3 sessions shown', { exact: true })).toBeVisible();
    expect(new Set((await listed(page)).map((r) => r.id))).toEqual(new Set([8, 16, 24].map(idOf)));

    // % and _ are text here, not LIKE wildcards.
    await filter(page, web.url, '', '100%');
    await expect(page.getByText('1 session shown', { exact: true })).toBeVisible();
    expect((await listed(page)).map((r) => r.title)).toEqual(['Load 0007 at 100% done']);
  });

  await test.step('the overview counts the same sessions by state', async () => {
    await page.getByRole('link', { name: 'Overview' }).click();
    const byState = page.getByRole('region', { name: 'Sessions by state' });
    await expect(byState.getByRole('term')).toHaveCount(5);
    const counts: Record<string, string | null> = {};
    for (const term of await byState.getByRole('term').all()) {
      counts[(await term.textContent()) ?? ''] = await term
        .locator('xpath=following-sibling::dd[1]')
        .textContent();
    }
    expect(counts).toEqual({
      idle: String(TOTAL - AWAITING_APPROVAL.length - AWAITING_TOOLS.length + late.length),
      'model step': '0',
      'awaiting approval': String(AWAITING_APPROVAL.length),
      'awaiting tools': String(AWAITING_TOOLS.length),
      'awaiting plan decision': '0',
    });
  });
});
