const NOT_OPERATOR =
  'This token is valid but the dashboard needs an operator token (this one has a lower role). Create one with `npx baton token create --name <name> --role operator`.';

/** Why a token was not accepted for the dashboard, in words for the login page. */
export function describeLoginFailure(code: string | undefined, message: string): string {
  switch (code) {
    case 'FORBIDDEN':
      return NOT_OPERATOR;
    case 'UNAUTHORIZED':
      return `The runtime did not accept this token: ${message}`;
    case 'TOO_MANY_REQUESTS':
      return 'Too many requests for this token; wait a moment and try again.';
    case undefined:
      return `Could not reach the runtime: ${message}`;
    default:
      return `The runtime answered ${code}: ${message}`;
  }
}

/**
 * Why a login link did not log in, as the `?link=` reason the login page is sent with (a
 * reason, not a message: the page never shows text taken from its URL).
 */
export const LINK_REFUSALS = {
  FORBIDDEN: NOT_OPERATOR,
  UNAUTHORIZED:
    'The runtime did not accept the token in the login link: it is unknown or was revoked.',
  TOO_MANY_REQUESTS: 'Too many requests for this token; wait a moment and try the link again.',
  UNREACHABLE: 'Could not reach the runtime to check the token in the login link.',
  REFUSED: 'The runtime did not accept the token in the login link.',
} as const;

/** A reason the login page can be sent with after a refused login link. */
export type LinkRefusal = keyof typeof LINK_REFUSALS;

/** The `?link=` reason for a refused token check's tRPC error code (undefined: no answer). */
export function linkRefusalFor(code: string | undefined): LinkRefusal {
  if (code === undefined) return 'UNREACHABLE';
  return code === 'FORBIDDEN' || code === 'UNAUTHORIZED' || code === 'TOO_MANY_REQUESTS'
    ? code
    : 'REFUSED';
}

/** What the login page says for its `?link=` reason; null when there is none it knows. */
export function describeLinkRefusal(reason: string | undefined): string | null {
  return reason !== undefined && Object.hasOwn(LINK_REFUSALS, reason)
    ? LINK_REFUSALS[reason as LinkRefusal]
    : null;
}
