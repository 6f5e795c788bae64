import type { ApiToken } from '@baton/db';
import { hashToken } from '@baton/db';
import type { TokenCache } from './token-cache';

/** The token a request carries: `Authorization: Bearer …`, or `token` in SSE connection params. */
export function tokenFrom(
  authorization: string | undefined,
  connectionParams: Record<string, string | undefined> | null | undefined,
): string | null {
  const header = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  return header ?? connectionParams?.['token'] ?? null;
}

/**
 * Finds who a token belongs to. `BATON_BOOTSTRAP_TOKEN`, when set, is accepted as an admin token
 * (for automation). Unknown and revoked tokens get a problem in words, never a hint whether the
 * token ever existed.
 */
export async function authenticate(
  tokens: Pick<TokenCache, 'find'>,
  token: string | null,
  bootstrapToken: string | undefined,
): Promise<{ token: ApiToken | null; problem: string | null }> {
  if (token === null) return { token: null, problem: null };
  if (bootstrapToken !== undefined && token === bootstrapToken) {
    return {
      token: {
        id: 'bootstrap',
        name: 'BATON_BOOTSTRAP_TOKEN',
        role: 'admin',
        createdAt: new Date(0).toISOString(),
        lastUsedAt: null,
        revokedAt: null,
      },
      problem: null,
    };
  }
  const found = await tokens.find(hashToken(token));
  return found
    ? { token: found, problem: null }
    : { token: null, problem: 'The API token is not valid (unknown or revoked).' };
}
