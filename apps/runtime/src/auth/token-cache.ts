import type { ApiToken, Database } from '@baton/db';
import { findTokenByHash, subscribeTokenRevocations } from '@baton/db';

/** How long a found token is trusted without asking the database again, at most. */
export const DEFAULT_TOKEN_TTL_MS = 60_000;

/**
 * Token lookups by secret hash, remembered so that a request costs no query. Only tokens that
 * were found are kept (a stream of made-up tokens cannot grow it). A revocation is forgotten
 * at once in the process that revoked ({@link TokenCache.forget}) and, through the database's
 * notification, in every other process within milliseconds; the TTL bounds an entry's life
 * should a notification ever be lost without the listener noticing.
 */
export interface TokenCache {
  /** The unrevoked token with this hash, or null. Concurrent lookups of one hash share a query. */
  find(tokenHash: string): Promise<ApiToken | null>;
  /** Drops the token with this id (just revoked). */
  forget(tokenId: string): void;
  close(): Promise<void>;
}

/** Opens the cache and subscribes to revocations; resolves once subscribed. */
export async function openTokenCache(
  database: Database,
  options: { ttlMs?: number; now?: () => number } = {},
): Promise<TokenCache> {
  const ttlMs = options.ttlMs ?? DEFAULT_TOKEN_TTL_MS;
  const now = options.now ?? Date.now;
  const found = new Map<string, { token: ApiToken; until: number }>();
  const inFlight = new Map<string, Promise<ApiToken | null>>();
  // Bumped by every revocation: a lookup that started before one is not cached.
  let generation = 0;

  const forget = (tokenId: string | null): void => {
    generation += 1;
    inFlight.clear();
    for (const [hash, entry] of found) {
      if (tokenId === null || entry.token.id === tokenId) found.delete(hash);
    }
  };
  const unsubscribe = await subscribeTokenRevocations(database, forget);

  const lookUp = (tokenHash: string): Promise<ApiToken | null> => {
    const started = generation;
    const lookup = findTokenByHash(database.db, tokenHash)
      .then((token) => {
        if (token && generation === started) found.set(tokenHash, { token, until: now() + ttlMs });
        return token;
      })
      .finally(() => {
        if (inFlight.get(tokenHash) === lookup) inFlight.delete(tokenHash);
      });
    inFlight.set(tokenHash, lookup);
    return lookup;
  };

  return {
    find(tokenHash) {
      const entry = found.get(tokenHash);
      if (entry && entry.until > now()) return Promise.resolve(entry.token);
      found.delete(tokenHash);
      return inFlight.get(tokenHash) ?? lookUp(tokenHash);
    },
    forget,
    close: unsubscribe,
  };
}
