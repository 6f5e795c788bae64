import type { NextRequest } from 'next/server';
import { NextResponse } from 'next/server';
import { TOKEN_COOKIE } from './server/token-cookie';

/**
 * Sends a visitor without a login to /login. Whether the token is still good is the runtime's
 * call, on every request; this only keeps pages from rendering for nobody.
 */
export function proxy(request: NextRequest) {
  if (request.cookies.has(TOKEN_COOKIE)) return NextResponse.next();
  if (request.nextUrl.pathname.startsWith('/api/')) {
    return NextResponse.json(
      { error: { message: 'Log in to the dashboard first.', data: { code: 'UNAUTHORIZED' } } },
      { status: 401 },
    );
  }
  const login = new URL('/login', request.url);
  if (request.nextUrl.pathname !== '/') login.searchParams.set('next', request.nextUrl.pathname);
  return NextResponse.redirect(login);
}

export const config = {
  // Everything but the login page itself, logging out, and Next's static files.
  matcher: ['/((?!login|logout|_next/static|_next/image|favicon.ico).*)'],
};
