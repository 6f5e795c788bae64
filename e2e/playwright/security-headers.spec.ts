import { createServer, request as httpRequest } from 'node:http';
import type { Page } from '@playwright/test';
import { recordEvents } from '../src/harness/events';
import { planScript } from '../src/harness/plan-script';
import { expect, logIn, test, useDashboard } from './dashboard-fixture';

// Issue 11: every response carries security headers; pages run under a nonce-based
// Content-Security-Policy that they really work under (no violation on any main page, live
// updates and mutations included) and that no other site may frame. The dashboard's tRPC proxy
// refuses a body over the runtime's own limit before buffering it, whatever cookie comes with it.

const dashboard = useDashboard({ script: planScript() });

/** The runtime's limit with the default BATON_MAX_RESULT_BYTES (1 MiB): × 2 + 64 KiB. */
const MAX_REQUEST_BYTES = 2 * 1024 * 1024 + 64 * 1024;

/** Collects CSP violations (the DOM event, and Chromium's console reports) from every page. */
async function watchViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.exposeFunction('reportViolation', (text: string) => violations.push(text));
  // A string: the specs are compiled without the DOM's types.
  await page.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (e) =>
      reportViolation(e.violatedDirective + ' blocked ' + e.blockedURI + ' (' + e.sourceFile + ':' + e.lineNumber + ')'));`,
  });
  return violations;
}

test('every response carries the security headers; pages a CSP with a fresh nonce', async ({
  request,
}) => {
  const { web } = dashboard;
  const common = {
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
  const login = await request.get(`${web.url}/login`);
  expect(login.headers()).toMatchObject(common);
  const policy = login.headers()['content-security-policy'] ?? '';
  expect(policy).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(policy).toMatch(/frame-ancestors 'none'/);
  expect(policy).not.toMatch(/unsafe-inline|unsafe-eval/);
  // Next put this response's nonce on the scripts it wrote into the page.
  const nonce = /'nonce-([^']+)'/.exec(policy)?.[1] ?? '';
  expect(await login.text()).toContain(`nonce="${nonce}"`);
  const again = await request.get(`${web.url}/login`);
  expect(again.headers()['content-security-policy']).not.toContain(nonce);

  const unauthenticated = await request.get(`${web.url}/`, { maxRedirects: 0 });
  expect(unauthenticated.status()).toBe(307);
  expect(unauthenticated.headers()).toMatchObject(common);

  const api = await request.get(`${web.url}/api/trpc/stats.overview`);
  expect(api.status()).toBe(401);
  expect(api.headers()).toMatchObject(common);
  expect(api.headers()['content-security-policy']).toMatch(/default-src 'none'/);

  const script = /src="(\/_next\/static\/[^"]+\.js)"/.exec(await login.text())?.[1] ?? '';
  const asset = await request.get(`${web.url}${script}`);
  expect(asset.status()).toBe(200);
  expect(asset.headers()).toMatchObject(common);

  const logout = await request.post(`${web.url}/logout`, { maxRedirects: 0 });
  expect(logout.headers()).toMatchObject(common);
});

test('the main pages render and work under the CSP, with no violation reported', async ({
  page,
}) => {
  const { scenario, web } = dashboard;
  const { client } = scenario;
  const violations = await watchViolations(page);
  const session = await client.sessions.create.mutate({ title: 'Greeting module' });
  const recorder = recordEvents(client, session.id);
  await client.messages.send.mutate({ sessionId: session.id, content: 'Add a greeting module.' });
  await recorder.waitFor((e) => e.type === 'run.state' && e.data.to === 'awaiting_plan_decision');
  recorder.close();

  // The login form is a server action: it posts and redirects under the policy.
  await logIn(page, web.url, scenario.tokens.operator);
  const live = page.getByRole('status', { name: 'Live updates: Live' });
  await expect(live).toBeVisible();
  await expect(page.getByRole('region', { name: 'Sessions by state' })).toContainText(
    'awaiting plan decision',
  );

  // Client-side navigation loads Next's chunks through 'strict-dynamic'.
  await page.getByRole('link', { name: 'Sessions' }).click();
  await expect(page.getByRole('link', { name: 'Greeting module' })).toBeVisible();
  await page.getByRole('link', { name: 'Greeting module' }).click();
  await expect(page.getByRole('heading', { name: 'Greeting module' })).toBeVisible();
  await expect(live).toBeVisible();
  await page.getByRole('button', { name: 'Approve plan' }).click();
  await expect(page.getByRole('region', { name: 'Plan' })).toContainText(
    'Plan status: in progress',
  );

  // And each page loaded afresh, the not-found page too.
  for (const path of ['/', '/sessions', `/sessions/${session.id}`, '/decisions']) {
    await page.goto(`${web.url}${path}`);
    await expect(live).toBeVisible();
  }
  await page.goto(`${web.url}/no-such-page`);
  await expect(page.getByText('This page could not be found.')).toBeVisible();
  expect(violations).toEqual([]);
});

/**
 * Another site, on another port of 127.0.0.1 (a page from a name outside this machine may not
 * frame a local address at all, whatever the dashboard says), whose page frames `url`.
 */
async function framingSite(url: string): Promise<{ url: string; close(): void }> {
  const server = createServer((_, response) => {
    response.setHeader('content-type', 'text/html');
    response.end(`<iframe title="dashboard" src="${url}"></iframe>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/`, close: () => server.close() };
}

test('no other site may frame the dashboard', async ({ page }) => {
  const { web } = dashboard;
  const refusals: string[] = [];
  page.on('console', (message) => refusals.push(message.text()));
  const site = await framingSite(`${web.url}/login`);
  try {
    await page.goto(site.url);
    await expect.poll(() => refusals.join('\n')).toMatch(/frame-ancestors 'none'/);
    // Chromium shows its own error page in the frame instead of the dashboard's.
    expect(page.frames().map((frame) => frame.url())).toContain('chrome-error://chromewebdata/');
    await expect(page.frameLocator('iframe').getByLabel('Operator token')).toHaveCount(0);
  } finally {
    site.close();
  }
});

/** What the dashboard answered to a raw POST of the tRPC proxy, and how much of the body it took. */
interface RawAnswer {
  /** 0 when there was no answer: the connection failed or nothing came for 20 s. */
  readonly status: number;
  readonly body: string;
  readonly sent: number;
  readonly error: string | null;
}

/**
 * POSTs to the tRPC proxy with a forged cookie: `declared` bytes said by Content-Length but
 * none sent, or (`declared` null) an endless chunked body, 64 KiB at a time, until it answers.
 */
function postRaw(url: string, declared: number | null): Promise<RawAnswer> {
  return new Promise((resolve) => {
    let sent = 0;
    let error: string | null = null;
    const request = httpRequest(`${url}/api/trpc/messages.send`, {
      method: 'POST',
      headers: {
        cookie: 'baton_operator_token=forged',
        'content-type': 'application/json',
        ...(declared === null ? {} : { 'content-length': String(declared) }),
      },
    });
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const pump = () => {
      while (declared === null && !request.destroyed && sent < 64 * MAX_REQUEST_BYTES) {
        sent += chunk.length;
        if (!request.write(chunk)) return void request.once('drain', pump);
      }
    };
    request.once('response', (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (text: string) => (body += text));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, sent, error }));
    });
    // The dashboard closes the connection after its 413; a write still under way then fails.
    request.on('error', (e) => (error = e.message));
    request.once('close', () => resolve({ status: 0, body: '', sent, error }));
    // The old proxy waited for the whole body, for ever.
    request.setTimeout(20_000, () => request.destroy());
    if (declared === null) pump();
    else request.flushHeaders();
  });
}

test('the tRPC proxy refuses a body over the runtime limit before it reads it all', async () => {
  const { web } = dashboard;
  await test.step('a Content-Length over the limit is refused before a byte is sent', async () => {
    const answer = await postRaw(web.url, MAX_REQUEST_BYTES + 1);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({
      error: { data: { code: 'PAYLOAD_TOO_LARGE', httpStatus: 413 } },
    });
  });
  await test.step('an endless chunked body is cut off once it goes over the limit', async () => {
    const answer = await postRaw(web.url, null);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({
      error: { data: { code: 'PAYLOAD_TOO_LARGE' } },
    });
    // Far less than the 64 × the limit the sender would go on to.
    expect(answer.sent).toBeLessThan(8 * MAX_REQUEST_BYTES);
  });
});
