import type { ApiToken, Database } from '@baton/db';
import { findTokenByHash, revokedTokenIds, subscribeTokenRevocations } from '@baton/db';
import type { Attempt } from './lookup-gate';
import { createLookupGate } from './lookup-gate';
import type { RateLimiter } from './rate-limit';
import { createRateLimiter } from './rate-limit';
import type { TokenStreams } from './token-streams';
import { createTokenStreams } from './token-streams';
import type { TokenUsage } from './token-usage';
import { createTokenUsage } from './token-usage';

/** How long a found token is trusted without asking the database again, at most. */
export const DEFAULT_TOKEN_TTL_MS = 60_000;
/** How long a hash that matched no token is answered from memory (a retried bad token). */
export const DEFAULT_UNKNOWN_TTL_MS = 10_000;
/** Hashes that matched no token remembered at most; past it the oldest is forgotten. */
export const DEFAULT_MAX_UNKNOWN = 10_000;
/**
 * Lookups that find no token allowed per client address per minute: each is a query, so a
 * stream of made-up tokens is a stream of queries. Past it the address is refused
 * (`throttled`) without a query, until its budget refills. Lookups that find their token cost
 * nothing: a burst of them waits its turn (a few query at once per address), never refused.
 */
export const DEFAULT_FAILED_LOOKUPS_PER_MINUTE = 60;

/** What a token's hash turned out to be. */
export type TokenLookup =
  | { readonly status: 'found'; readonly token: ApiToken }
  /** No unrevoked token has this hash. */
  | { readonly status: 'unknown' }
  /**
   * Not looked up: the caller's address has had too many failed lookups of late, or has too
   * many lookups waiting already.
   */
  | { readonly status: 'throttled' };

/**
 * Token lookups by secret hash, remembered so that a request costs no query, and what else a
 * replica knows of its tokens: their open event streams and when they were last used.
 *
 * A found token is kept up to its TTL; a hash that matched none briefly, in a bounded map (a
 * stream of made-up tokens cannot grow it). A revocation is forgotten at once in the process
 * that revoked ({@link TokenCache.forget}) and, through the database's notification, in every
 * other process within milliseconds, ending the token's streams there too; the TTL bounds an
 * entry's life should a notification ever be lost without the listener noticing.
 */
export interface TokenCache {
  /**
   * What the token with this hash is. Concurrent lookups of one hash share a query. A lookup
   * that queries and finds nothing is charged to `from` (the caller's address), which is
   * refused once it has had too many; lookups of one address that need a query take turns
   * (see `createLookupGate`), so that a flood of made-up tokens cannot pass together.
   */
  find(tokenHash: string, from?: string): Promise<TokenLookup>;
  /** Drops the token with this id (just revoked) and ends its streams. */
  forget(tokenId: string): void;
  /** The open event streams of each token: capped, and ended when the token is revoked. */
  readonly streams: TokenStreams;
  /** Notes a use of a token; written at most once a minute per token (see {@link TokenUsage}). */
  noteUse(tokenId: string): Promise<void>;
  close(): Promise<void>;
}

/** What a stream is told when its token could not be re-checked after lost notifications. */
const UNCONFIRMED_MESSAGE =
  'The API token could not be re-checked after the runtime lost revocation notices: subscribe again.';

/** Opens the cache and subscribes to revocations; resolves once subscribed. */
export async function openTokenCache(
  database: Database,
  options: {
    ttlMs?: number;
    unknownTtlMs?: number;
    maxUnknown?: number;
    failedLookups?: RateLimiter;
    /** Lookups of one address that query at once, and that may wait for a turn. */
    lookupsPerAddress?: { atOnce?: number; waiting?: number };
    streams?: TokenStreams;
    usage?: TokenUsage;
    now?: () => number;
  } = {},
): Promise<TokenCache> {
  const ttlMs = options.ttlMs ?? DEFAULT_TOKEN_TTL_MS;
  const unknownTtlMs = options.unknownTtlMs ?? DEFAULT_UNKNOWN_TTL_MS;
  const maxUnknown = options.maxUnknown ?? DEFAULT_MAX_UNKNOWN;
  const now = options.now ?? Date.now;
  const failedLookups =
    options.failedLookups ?? createRateLimiter(DEFAULT_FAILED_LOOKUPS_PER_MINUTE, { now });
  const gate = createLookupGate(failedLookups, options.lookupsPerAddress);
  const streams = options.streams ?? createTokenStreams();
  const usage = options.usage ?? createTokenUsage(database.db, { now });
  const found = new Map<string, { token: ApiToken; until: number }>();
  // In the order looked up: the first expires first.
  const unknown = new Map<string, number>();
  const inFlight = new Map<string, Promise<ApiToken | null>>();
  // Bumped by every revocation: a lookup that started before one is not cached.
  let generation = 0;

  const rememberUnknown = (tokenHash: string): void => {
    const time = now();
    unknown.delete(tokenHash);
    unknown.set(tokenHash, time + unknownTtlMs);
    for (const [hash, until] of unknown) {
      if (unknown.size <= maxUnknown && until > time) break;
      unknown.delete(hash);
    }
  };

  /**
   * After lost notifications any token with open streams may have been revoked meanwhile: ask
   * the database, and end the streams of those that were (of all, if it cannot answer).
   */
  const recheckStreams = async (): Promise<void> => {
    const ids = streams.tokenIds();
    if (ids.length === 0) return;
    try {
      for (const id of await revokedTokenIds(database.db, ids)) streams.revoke(id);
    } catch {
      for (const id of ids) streams.interrupt(id, UNCONFIRMED_MESSAGE);
    }
  };

  const forget = (tokenId: string | null): void => {
    generation += 1;
    inFlight.clear();
    for (const [hash, entry] of found) {
      if (tokenId === null || entry.token.id === tokenId) found.delete(hash);
    }
    if (tokenId === null) void recheckStreams();
    else streams.revoke(tokenId);
  };
  const unsubscribe = await subscribeTokenRevocations(database, forget);

  const lookUp = (tokenHash: string): Promise<ApiToken | null> => {
    const started = generation;
    const lookup = findTokenByHash(database.db, tokenHash)
      .then((token) => {
        if (!token) rememberUnknown(tokenHash);
        else if (generation === started) {
          found.set(tokenHash, { token, until: now() + ttlMs });
        }
        return token;
      })
      .finally(() => {
        if (inFlight.get(tokenHash) === lookup) inFlight.delete(tokenHash);
      });
    inFlight.set(tokenHash, lookup);
    return lookup;
  };

  const outcome = (token: ApiToken | null): TokenLookup =>
    token ? { status: 'found', token } : { status: 'unknown' };

  /** The answer memory holds for this hash, if any. */
  const remembered = (tokenHash: string): TokenLookup | null => {
    const entry = found.get(tokenHash);
    if (entry && entry.until > now()) return outcome(entry.token);
    found.delete(tokenHash);
    if ((unknown.get(tokenHash) ?? 0) > now()) return outcome(null);
    return null;
  };

  /** A lookup admitted by the gate: it may have waited, so memory may know the answer by now. */
  const query = async (tokenHash: string): Promise<Attempt<TokenLookup>> => {
    const known = remembered(tokenHash);
    if (known) return { value: known, failed: false };
    const pending = inFlight.get(tokenHash);
    if (pending) return { value: outcome(await pending), failed: false };
    const token = await lookUp(tokenHash);
    return { value: outcome(token), failed: token === null };
  };

  return {
    async find(tokenHash, from = 'local') {
      const known = remembered(tokenHash);
      if (known) return known;
      const pending = inFlight.get(tokenHash);
      if (pending) return outcome(await pending);
      return (await gate.run(from, () => query(tokenHash))) ?? { status: 'throttled' };
    },
    forget,
    streams,
    noteUse: (tokenId) => usage.note(tokenId),
    close: unsubscribe,
  };
}
