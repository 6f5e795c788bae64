import type { Page, Response } from '@playwright/test';
import { planScript } from '../src/harness/plan-script';
import { expect, test, useDashboard } from './dashboard-fixture';

// Issue 11: the login link the runtime prints (`/login?token=…`) logs in and is replaced at
// once: the token is never rendered into a page, kept in the address bar or history, or sent on
// as a Referer. A login goes on only to a path of the dashboard, however `next` is spelled. The
// login cookie is Secure whenever the dashboard is reached over https.

const dashboard = useDashboard({ script: planScript() });

/** The login link for `token`, going on to `next` when given. */
function loginLink(token: string, next?: string): string {
  const query = new URLSearchParams({ token, ...(next ? { next } : {}) });
  return `${dashboard.web.url}/login?${query.toString()}`;
}

/** Every answer to the page's requests with its body, to look for the token in. */
function recordResponses(page: Page): { status: number; url: string; body: Promise<string> }[] {
  const seen: { status: number; url: string; body: Promise<string> }[] = [];
  page.on('response', (response: Response) => {
    const redirect = response.status() >= 300 && response.status() < 400;
    seen.push({
      status: response.status(),
      url: response.url(),
      body: redirect ? Promise.resolve('') : response.text().catch(() => ''),
    });
  });
  return seen;
}

test('a login link logs in and leaves the token in no page, address bar or history entry', async ({
  page,
}) => {
  const { scenario, web } = dashboard;
  const token = scenario.tokens.operator;
  const responses = recordResponses(page);
  await page.goto(`${web.url}/login`);
  const before = Number(await page.evaluate('history.length'));

  const [link] = await Promise.all([
    page.waitForResponse((r) => r.url().includes('token=')),
    page.goto(loginLink(token, '/sessions')),
  ]);
  expect(link.status()).toBe(303);
  expect(link.headers()['referrer-policy']).toBe('no-referrer');
  expect(link.headers()['cache-control']).toBe('no-store');
  await expect(page).toHaveURL(`${web.url}/sessions`);
  await expect(page.getByRole('heading', { name: 'Sessions' })).toBeVisible();

  expect(page.url()).not.toContain(token);
  expect(await page.content()).not.toContain(token);
  // The link's URL replaced itself: one entry more, and going back goes to the login page.
  expect(Number(await page.evaluate('history.length'))).toBe(before + 1);
  await page.goBack();
  await expect(page).toHaveURL(`${web.url}/login`);
  for (const response of responses) {
    expect(await response.body, response.url).not.toContain(token);
  }
  const [cookie] = await page.context().cookies();
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false });
  expect(await page.evaluate('document.cookie')).not.toContain(token);
});

test('a refused login link goes to the login page with the reason, and without the token', async ({
  page,
}) => {
  const { scenario, web } = dashboard;
  const token = scenario.tokens.client;
  await page.goto(loginLink(token, '/decisions'));
  await expect(page).toHaveURL(`${web.url}/login?next=%2Fdecisions&link=FORBIDDEN`);
  // Next's route announcer is an alert too.
  await expect(
    page.getByRole('alert').filter({ hasText: 'needs an operator token' }),
  ).toBeVisible();
  expect(await page.content()).not.toContain(token);
  await expect(page.getByLabel('Operator token')).toHaveValue('');

  // The page shows only reasons it knows: no URL puts words on it.
  await page.goto(`${web.url}/login?link=Your+account+is+locked`);
  await expect(page.getByRole('heading', { name: 'Log in to Baton' })).toBeVisible();
  await expect(page.getByText('Your account is locked')).toHaveCount(0);
});

test('a login link followed from another site logs in too', async ({ page }) => {
  const { scenario, web } = dashboard;
  await page.route('http://elsewhere.test/', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<a href="${loginLink(scenario.tokens.operator)}">Open the dashboard</a>`,
    }),
  );
  await page.goto('http://elsewhere.test/');
  await page.getByRole('link', { name: 'Open the dashboard' }).click();
  await expect(page).toHaveURL(`${web.url}/`);
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
});

/** Values of `next` that lead elsewhere in a browser, or could after one more decoding. */
const ELSEWHERE = [
  '//evil.example/',
  '/\\evil.example/',
  '/%5Cevil.example/',
  '/%2F%2Fevil.example/',
  '\\/evil.example/',
  'https://evil.example/',
  'javascript:alert(document.domain)',
  '/\t/evil.example/',
  '/.//evil.example/',
];

test('a login never goes on to another host, however next is spelled', async ({ page }) => {
  const { scenario, web } = dashboard;
  await test.step('through the login form', async () => {
    await page.goto(`${web.url}/login?next=/%5Cevil.example/`);
    await page.getByLabel('Operator token').fill(scenario.tokens.operator);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page).toHaveURL(`${web.url}/`);
  });
  for (const next of ELSEWHERE) {
    await test.step(`through a login link, next=${JSON.stringify(next)}`, async () => {
      await page.context().clearCookies();
      await page.goto(loginLink(scenario.tokens.operator, next));
      await expect(page).toHaveURL(`${web.url}/`);
      await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
    });
  }
});

test('the login cookie is Secure when the dashboard is reached over https', async ({ request }) => {
  const { scenario } = dashboard;
  const link = loginLink(scenario.tokens.operator);
  const plain = await request.get(link, { maxRedirects: 0 });
  expect(plain.status()).toBe(303);
  expect(plain.headers()['set-cookie']).not.toMatch(/;\s*Secure/i);

  const behindTls = await request.get(link, {
    maxRedirects: 0,
    headers: { 'x-forwarded-proto': 'https' },
  });
  expect(behindTls.status()).toBe(303);
  expect(behindTls.headers()['set-cookie']).toMatch(/;\s*Secure/i);
  expect(behindTls.headers()['set-cookie']).toMatch(/;\s*HttpOnly/i);
  expect(behindTls.headers()['set-cookie']).toMatch(/;\s*SameSite=Lax/i);
});
