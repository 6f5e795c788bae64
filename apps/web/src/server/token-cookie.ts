/**
 * The operator's token lives in this cookie: httpOnly (page script never sees it) and
 * SameSite=Lax: no other site can make the browser send it with a POST (every change is one) or
 * with a request from its page, only with a top-level GET navigation, which changes nothing. Not
 * Strict: the browser then keeps the cookie from every request of a navigation begun on another
 * site, so a login link or a link to a session followed from a chat or a tracker would land on
 * the login page.
 */
export const TOKEN_COOKIE = 'baton_operator_token';

/** How long a login lasts in the browser; the runtime still checks the token on every call. */
const MAX_AGE_SECONDS = 60 * 60 * 24 * 7;

/** The cookie's attributes; `secure` when the dashboard is served over https. */
export function tokenCookieOptions(secure: boolean) {
  return {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    maxAge: MAX_AGE_SECONDS,
  } as const;
}
