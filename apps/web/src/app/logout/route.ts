import type { NextRequest } from 'next/server';
import { NextResponse } from 'next/server';
import { env } from '../../env';
import { servedOverHttps } from '../../server/served-over-https';
import { TOKEN_COOKIE, tokenCookieOptions } from '../../server/token-cookie';

/**
 * Logs out: forgets the token cookie and goes to the login page. The location is a path: an
 * absolute URL made from `request.url` names the host Next sees (`localhost`, or a host behind a
 * proxy), another origin, which the pages' CSP (`form-action 'self'`) does not let the logout
 * form go to.
 */
export function POST(request: NextRequest) {
  const response = new NextResponse(null, { status: 303, headers: { location: '/login' } });
  response.cookies.set(TOKEN_COOKIE, '', {
    ...tokenCookieOptions(servedOverHttps(request.headers, request.url, env.secureCookie)),
    maxAge: 0,
  });
  return response;
}
