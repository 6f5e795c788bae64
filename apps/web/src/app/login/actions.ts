'use server';

import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { env } from '../../env';
import { checkOperatorToken } from '../../server/runtime-client';
import { safeNext } from '../../server/safe-next';
import { servedOverHttps } from '../../server/served-over-https';
import { TOKEN_COOKIE, tokenCookieOptions } from '../../server/token-cookie';

/** What the login form shows after a refused attempt. */
export interface LoginState {
  readonly error: string | null;
}

/**
 * Checks the token against the runtime (it must be an operator or admin token), then keeps it
 * in the httpOnly token cookie and goes on to the dashboard.
 */
export async function logIn(_previous: LoginState, form: FormData): Promise<LoginState> {
  const entry = form.get('token');
  const token = typeof entry === 'string' ? entry.trim() : '';
  if (!token) return { error: 'Enter an operator token.' };
  const check = await checkOperatorToken(token);
  if (!check.ok) return { error: check.message };
  // Next sets X-Forwarded-Proto from the socket when no proxy did; a server action has no URL.
  const secure = servedOverHttps(await headers(), null, env.secureCookie);
  (await cookies()).set(TOKEN_COOKIE, token, tokenCookieOptions(secure));
  redirect(safeNext(form.get('next')));
}
