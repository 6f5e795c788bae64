import type { NextRequest } from 'next/server';
import { NextResponse } from 'next/server';
import { TOKEN_COOKIE } from './server/token-cookie';

/**
 * Sends a visitor without a login to /login. Whether the token is still good is the runtime's
 * call, on every request; this only keeps pages from rendering for nobody.
 */
export function proxy(request: NextRequest) {
  if (request.cookies.has(TOKEN_COOKIE)) return NextResponse.next();
  const login = new URL('/login', request.url);
  if (request.nextUrl.pathname !== '/') login.searchParams.set('next', request.nextUrl.pathname);
  return NextResponse.redirect(login);
}

export const config = {
  // Everything but the login page itself, logging out, and Next's static files. Not the API
  // either: Next buffers up to 10 MB of every POST a proxy runs on, and waits for its end, before
  // the route sees it; the tRPC route checks the cookie and the body's size itself.
  matcher: ['/((?!login|logout|api/|_next/static|_next/image|favicon.ico).*)'],
};
