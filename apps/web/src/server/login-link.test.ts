import { NextRequest } from 'next/server';
import { describe, expect, it } from 'vitest';
import { answerLoginLink } from './login-link';
import type { TokenCheck } from './runtime-client';

const ORIGIN = 'http://127.0.0.1:3000';
const OPERATOR = 'operator-token-0123456789';

/** The runtime's answer: the operator token may use the dashboard, a client token may not. */
const check = (token: string): Promise<TokenCheck> =>
  Promise.resolve(
    token === OPERATOR
      ? { ok: true }
      : { ok: false, code: 'FORBIDDEN', message: 'needs an operator token' },
  );

/** Where the answer sends the browser, on this dashboard (NextURL spells 127.0.0.1 localhost). */
function pathOf(response: Response): string {
  const location = new URL(response.headers.get('location') ?? '', 'http://other.invalid');
  expect(location.port).toBe('3000');
  return `${location.pathname}${location.search}`;
}

const follow = (query: string, headers: Record<string, string> = {}, forceSecure = false) =>
  answerLoginLink(new NextRequest(`${ORIGIN}/login?${query}`, { headers }), check, forceSecure);

describe('a login link', () => {
  it('keeps the token in an httpOnly, SameSite=Lax cookie and goes on to next at once', async () => {
    const response = await follow(`token=${OPERATOR}&next=%2Fsessions`);
    expect(response.status).toBe(303);
    expect(pathOf(response)).toBe('/sessions');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.cookies.get('baton_operator_token')).toMatchObject({
      value: OPERATOR,
      httpOnly: true,
      sameSite: 'lax',
      secure: false,
      path: '/',
    });
    expect(await response.text()).toBe('');
  });

  it('marks the cookie Secure over https, behind a TLS proxy, or when the operator forces it', async () => {
    const secure = async (response: Promise<Response>) =>
      /;\s*Secure/i.test((await response).headers.get('set-cookie') ?? '');
    expect(await secure(follow(`token=${OPERATOR}`))).toBe(false);
    expect(await secure(follow(`token=${OPERATOR}`, { 'x-forwarded-proto': 'https' }))).toBe(true);
    expect(await secure(follow(`token=${OPERATOR}`, {}, true))).toBe(true);
    const https = answerLoginLink(
      new NextRequest(`https://dash.example/login?token=${OPERATOR}`),
      check,
      false,
    );
    expect(await secure(https)).toBe(true);
  });

  it('goes to the overview when next leads elsewhere', async () => {
    const response = await follow(`token=${OPERATOR}&next=%2F%5Cevil.example%2F`);
    expect(pathOf(response)).toBe('/');
  });

  it('goes to the login page with the reason, and without the token, when it is refused', async () => {
    const response = await follow('token=client-token&next=%2Fdecisions');
    expect(response.status).toBe(303);
    expect(pathOf(response)).toBe('/login?next=%2Fdecisions&link=FORBIDDEN');
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('goes to the login page when it has no token', async () => {
    const response = await follow('token=');
    expect(pathOf(response)).toBe('/login');
  });
});
