/**
 * The operator's token lives in this cookie: httpOnly (page script never sees it) and
 * SameSite=Strict (no other site can make the browser send it).
 */
export const TOKEN_COOKIE = 'baton_operator_token';

/** How long a login lasts in the browser; the runtime still checks the token on every call. */
const MAX_AGE_SECONDS = 60 * 60 * 24 * 7;

/** The cookie's attributes; `secure` when the dashboard is served over https. */
export function tokenCookieOptions(secure: boolean) {
  return {
    httpOnly: true,
    sameSite: 'strict',
    secure,
    path: '/',
    maxAge: MAX_AGE_SECONDS,
  } as const;
}
