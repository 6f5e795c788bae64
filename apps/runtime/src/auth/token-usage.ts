import type { Db } from '@baton/db';
import { touchToken } from '@baton/db';

/** How often one replica writes a token's `lastUsedAt`, at most. */
export const DEFAULT_USAGE_WRITE_MS = 60_000;

/**
 * Writes when tokens were last used, for `tokens.list`, without a write per request: a token's
 * use is written at most once per `intervalMs` by each replica, so `lastUsedAt` may lag by that.
 */
export interface TokenUsage {
  /**
   * Notes a use of the token now: writes it when the last write is `intervalMs` old or more,
   * else does nothing. Not for the request to wait on; a failed write is not retried before
   * the interval has passed (a database in trouble gets no write per request).
   */
  note(tokenId: string): Promise<void>;
}

/** A recorder of token use on `db`. */
export function createTokenUsage(
  db: Db,
  options: { intervalMs?: number; now?: () => number } = {},
): TokenUsage {
  const intervalMs = options.intervalMs ?? DEFAULT_USAGE_WRITE_MS;
  const now = options.now ?? Date.now;
  const writtenAt = new Map<string, number>();
  let sweptAt = now();

  /** Forgets writes older than the interval (the same as none), once per interval. */
  const sweep = (time: number): void => {
    if (time - sweptAt < intervalMs) return;
    sweptAt = time;
    for (const [id, at] of writtenAt) if (time - at >= intervalMs) writtenAt.delete(id);
  };

  return {
    note(tokenId) {
      const time = now();
      sweep(time);
      const last = writtenAt.get(tokenId);
      if (last !== undefined && time - last < intervalMs) return Promise.resolve();
      writtenAt.set(tokenId, time);
      return touchToken(db, { id: tokenId, now: time });
    },
  };
}
