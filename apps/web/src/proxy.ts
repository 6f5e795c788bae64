import type { NextRequest } from 'next/server';
import { NextResponse } from 'next/server';
import { env } from './env';
import { answerLoginLink } from './server/login-link';
import { checkOperatorToken } from './server/runtime-client';
import { NON_PAGE_CSP, pageContentSecurityPolicy } from './server/security-headers';
import { servedOverHttps } from './server/served-over-https';
import { TOKEN_COOKIE } from './server/token-cookie';

/**
 * Renders a page under a Content-Security-Policy with a fresh nonce. The policy also goes on the
 * request: Next reads the nonce from it and puts it on the scripts and styles it renders.
 */
function withNonce(request: NextRequest): NextResponse {
  const nonce = btoa(crypto.randomUUID());
  const policy = pageContentSecurityPolicy({
    nonce,
    https: servedOverHttps(request.headers, request.url, env.secureCookie),
    development: env.development,
  });
  const headers = new Headers(request.headers);
  headers.set('content-security-policy', policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('content-security-policy', policy);
  return response;
}

/** A response that is not a page (a redirect): it may load nothing. */
function notAPage(response: NextResponse): NextResponse {
  response.headers.set('content-security-policy', NON_PAGE_CSP);
  return response;
}

/**
 * Sends a visitor without a login to /login, answers a login link (`/login?token=`) with a
 * redirect so the token is never rendered into a page, and gives every page its
 * Content-Security-Policy. Whether the token is still good is the runtime's call, on every
 * request; this only keeps pages from rendering for nobody.
 */
export async function proxy(request: NextRequest): Promise<NextResponse> {
  const { pathname, search, searchParams } = request.nextUrl;
  if (pathname === '/login' && searchParams.has('token')) {
    // Answered here, not by a rewrite to a route: Next reports a rewrite's URL to the browser.
    return notAPage(await answerLoginLink(request, checkOperatorToken, env.secureCookie));
  }
  if (pathname === '/login' || request.cookies.has(TOKEN_COOKIE)) return withNonce(request);
  const login = new URL('/login', request.url);
  const next = `${pathname}${search}`;
  if (next !== '/') login.searchParams.set('next', next);
  return notAPage(NextResponse.redirect(login));
}

export const config = {
  // Every page, the login page too (for its CSP); not logging out, nor Next's static files, whose
  // headers come from next.config.ts. Not the API either: Next buffers up to 10 MB of every POST
  // a proxy runs on, and waits for its end, before the route sees it; the tRPC route checks the
  // cookie and the body's size itself.
  matcher: ['/((?!logout|api/|_next/static|_next/image|favicon.ico).*)'],
};
