import type { NextRequest } from 'next/server';
import { NextResponse } from 'next/server';
import { linkRefusalFor } from './login-failure';
import type { TokenCheck } from './runtime-client';
import { safeNext } from './safe-next';
import { servedOverHttps } from './served-over-https';
import { TOKEN_COOKIE, tokenCookieOptions } from './token-cookie';

/**
 * A 303 to `path` of the dashboard. The link's URL is never a page: the browser replaces it with
 * `path` at once, so the token is not rendered, nor kept as a history entry, nor sent as a
 * Referer (Referrer-Policy: no-referrer on every response). Absolute, as a proxy's redirect must
 * be; Next makes it relative again.
 */
function seeOther(path: string, request: NextRequest): NextResponse {
  const response = NextResponse.redirect(new URL(path, request.url), 303);
  response.headers.set('cache-control', 'no-store');
  return response;
}

/**
 * The answer to a login link, `/login?token=…&next=…` (the runtime prints one): checks the token
 * as the login form does and, when it may use the dashboard, keeps it in the httpOnly cookie and
 * goes on to `next`; when it is refused, goes to the login page with the reason, not the token.
 */
export async function answerLoginLink(
  request: NextRequest,
  check: (token: string) => Promise<TokenCheck>,
  forceSecure: boolean,
): Promise<NextResponse> {
  const query = request.nextUrl.searchParams;
  const next = safeNext(query.get('next'));
  const token = query.get('token')?.trim() ?? '';
  const login = new URLSearchParams(next === '/' ? {} : { next });
  if (token) {
    const checked = await check(token);
    if (checked.ok) {
      const response = seeOther(next, request);
      const secure = servedOverHttps(request.headers, request.url, forceSecure);
      response.cookies.set(TOKEN_COOKIE, token, tokenCookieOptions(secure));
      return response;
    }
    login.set('link', linkRefusalFor(checked.code));
  }
  const search = login.toString();
  return seeOther(search ? `/login?${search}` : '/login', request);
}
