import type { NextRequest } from 'next/server';
import { NextResponse } from 'next/server';
import { env } from '../../env';
import { servedOverHttps } from '../../server/served-over-https';
import { TOKEN_COOKIE, tokenCookieOptions } from '../../server/token-cookie';

/** Logs out: forgets the token cookie and goes to the login page. */
export function POST(request: NextRequest) {
  const response = NextResponse.redirect(new URL('/login', request.url), 303);
  response.cookies.set(TOKEN_COOKIE, '', {
    ...tokenCookieOptions(servedOverHttps(request.headers, request.url, env.secureCookie)),
    maxAge: 0,
  });
  return response;
}
