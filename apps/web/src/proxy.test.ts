import { NextRequest } from 'next/server';
import { describe, expect, it } from 'vitest';
import { proxy } from './proxy';

const ORIGIN = 'http://127.0.0.1:3000';
const LOGGED_IN = { cookie: 'baton_operator_token=tok' };

const visit = (path: string, headers: Record<string, string> = {}) =>
  proxy(new NextRequest(`${ORIGIN}${path}`, { headers }));

/** The nonce a page's policy allows scripts with. */
const nonceOf = (policy: string | null) => /'nonce-([^']+)'/.exec(policy ?? '')?.[1];

describe('the proxy in front of every page', () => {
  it('sends a visitor without a login to the login page, keeping where they were going', async () => {
    const response = await visit('/sessions?status=running');
    expect(response.status).toBe(307);
    const location = new URL(response.headers.get('location') ?? '');
    expect(location.pathname).toBe('/login');
    expect(location.searchParams.get('next')).toBe('/sessions?status=running');
  });

  it('renders a page under a policy with a fresh nonce, and tells Next the same policy', async () => {
    const first = await visit('/', LOGGED_IN);
    const second = await visit('/', LOGGED_IN);
    const policy = first.headers.get('content-security-policy');
    expect(policy).toMatch(/frame-ancestors 'none'/);
    expect(nonceOf(policy)).toBeTruthy();
    expect(nonceOf(policy)).not.toBe(nonceOf(second.headers.get('content-security-policy')));
    // NextResponse.next({ request: { headers } }) passes request headers on this way.
    expect(first.headers.get('x-middleware-request-content-security-policy')).toBe(policy);
  });

  it('gives the login page its policy too, without a login', async () => {
    const response = await visit('/login');
    expect(response.headers.get('location')).toBeNull();
    expect(nonceOf(response.headers.get('content-security-policy'))).toBeTruthy();
  });

  it('upgrades insecure requests only when served over https', async () => {
    expect((await visit('/', LOGGED_IN)).headers.get('content-security-policy')).not.toMatch(
      /upgrade/,
    );
    const behindTls = await visit('/', { ...LOGGED_IN, 'x-forwarded-proto': 'https' });
    expect(behindTls.headers.get('content-security-policy')).toMatch(/upgrade-insecure-requests/);
  });
});
