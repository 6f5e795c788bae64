import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiToken } from '@baton/db';
import { hashToken } from '@baton/db';
import type { TokenCache } from './token-cache';

/** The token a request carries, and whether the URL carried one (`connectionParams`). */
export interface PresentedToken {
  readonly token: string;
  readonly inUrl: boolean;
}

/**
 * The token a request carries: `Authorization: Bearer …`, else `token` in the connection params
 * (`?connectionParams=` in the URL, which a browser's EventSource needs: it cannot send headers).
 * `inUrl` is set whenever the URL has one, even next to a header, so that it can be refused where
 * it does not belong.
 */
export function tokenFrom(
  authorization: string | undefined,
  connectionParams: Record<string, string | undefined> | null | undefined,
): PresentedToken | null {
  const header = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  const inUrl = connectionParams?.['token'];
  const token = header ?? inUrl;
  return token === undefined ? null : { token, inUrl: inUrl !== undefined };
}

/** Why a request's token was not accepted, as the tRPC error it answers. */
export interface TokenProblem {
  readonly code: 'UNAUTHORIZED' | 'TOO_MANY_REQUESTS';
  readonly message: string;
}

/** The request a token came with. */
export interface TokenRequest {
  /** Whether it opens a subscription: the only kind that may carry its token in the URL. */
  readonly subscription: boolean;
  /** The caller's address: lookups that find no token are limited per address. */
  readonly from: string;
}

/** The id under which `BATON_BOOTSTRAP_TOKEN` calls (it is not stored). */
export const BOOTSTRAP_TOKEN_ID = 'bootstrap';

/** Whether two secrets are equal, in a time that does not depend on where they differ. */
function sameSecret(given: string, expected: string): boolean {
  // Digests have one length whatever the secrets' lengths, as timingSafeEqual needs.
  const digest = (secret: string) => createHash('sha256').update(secret).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

const IN_URL_MESSAGE =
  'An API token in the URL (connectionParams) is accepted for subscriptions only, where a ' +
  'browser cannot send headers: send "Authorization: Bearer <token>" instead.';
const UNKNOWN_MESSAGE = 'The API token is not valid (unknown or revoked).';
const THROTTLED_MESSAGE =
  'Too many requests with unknown API tokens from this address; retry in a minute.';

/**
 * Finds who a token belongs to. `BATON_BOOTSTRAP_TOKEN`, when set, is accepted as an admin token
 * (for automation). Unknown and revoked tokens get a problem in words, never a hint whether the
 * token ever existed. `stored` says whether the token is one of the database's (whose use is
 * recorded).
 */
export async function authenticate(
  tokens: Pick<TokenCache, 'find'>,
  presented: PresentedToken | null,
  bootstrapToken: string | undefined,
  request: TokenRequest,
): Promise<{ token: ApiToken | null; problem: TokenProblem | null; stored: boolean }> {
  const refused = (problem: TokenProblem) => ({ token: null, problem, stored: false });
  if (presented === null) return { token: null, problem: null, stored: false };
  // A token in a URL ends up in logs and histories: only where no header can carry it.
  if (presented.inUrl && !request.subscription) {
    return refused({ code: 'UNAUTHORIZED', message: IN_URL_MESSAGE });
  }
  if (bootstrapToken !== undefined && sameSecret(presented.token, bootstrapToken)) {
    return {
      token: {
        id: BOOTSTRAP_TOKEN_ID,
        name: 'BATON_BOOTSTRAP_TOKEN',
        role: 'admin',
        createdAt: new Date(0).toISOString(),
        lastUsedAt: null,
        revokedAt: null,
      },
      problem: null,
      stored: false,
    };
  }
  const lookup = await tokens.find(hashToken(presented.token), request.from);
  if (lookup.status === 'found') return { token: lookup.token, problem: null, stored: true };
  return refused(
    lookup.status === 'throttled'
      ? { code: 'TOO_MANY_REQUESTS', message: THROTTLED_MESSAGE }
      : { code: 'UNAUTHORIZED', message: UNKNOWN_MESSAGE },
  );
}
