/**
 * Requests per key (a token, an address) per minute, as a token bucket. Per replica: with N
 * replicas a key may reach N times the limit, which is acceptable for a guard against runaway
 * clients (it is a limit, not a guarantee that must hold across replicas).
 */
export interface RateLimiter {
  /** Takes one from `key`'s budget; false, taking nothing, when it is spent. */
  allow(key: string): boolean;
  /**
   * Returns one to `key`'s budget, taken by an {@link RateLimiter.allow} for something that
   * turned out not to count (a look-up charged in advance that found its token).
   */
  giveBack(key: string): void;
  /** How many keys it remembers (an idle key is forgotten: it is as good as new). */
  readonly size: number;
}

/** Keys remembered at most; past it the least recently seen is forgotten (its budget refilled). */
export const DEFAULT_MAX_KEYS = 100_000;

/** A limiter of `perMinute` requests per key; 0 allows everything. */
export function createRateLimiter(
  perMinute: number,
  options: { now?: () => number; maxKeys?: number } = {},
): RateLimiter {
  if (perMinute <= 0) return { allow: () => true, giveBack: () => undefined, size: 0 };
  const now = options.now ?? Date.now;
  const maxKeys = options.maxKeys ?? DEFAULT_MAX_KEYS;
  // In the order last seen: the first is the one idle longest.
  const buckets = new Map<string, { tokens: number; at: number }>();
  const refillPerMs = perMinute / 60_000;
  /** A bucket untouched this long is full again, the same as none. */
  const refillMs = 60_000;
  let sweptAt = now();

  const level = (bucket: { tokens: number; at: number }, time: number): number =>
    Math.min(perMinute, bucket.tokens + (time - bucket.at) * refillPerMs);

  /** Forgets the full buckets, once a minute: the map holds the keys of the last minute. */
  const sweep = (time: number): void => {
    if (time - sweptAt < refillMs) return;
    sweptAt = time;
    for (const [key, bucket] of buckets) {
      if (level(bucket, time) >= perMinute) buckets.delete(key);
    }
  };

  return {
    allow(key) {
      const time = now();
      sweep(time);
      const bucket = buckets.get(key) ?? { tokens: perMinute, at: time };
      bucket.tokens = level(bucket, time);
      bucket.at = time;
      buckets.delete(key);
      buckets.set(key, bucket);
      if (buckets.size > maxKeys) {
        const idlest = buckets.keys().next().value;
        if (idlest !== undefined) buckets.delete(idlest);
      }
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
    giveBack(key) {
      const bucket = buckets.get(key);
      if (bucket) bucket.tokens = Math.min(perMinute, bucket.tokens + 1);
    },
    get size() {
      return buckets.size;
    },
  };
}
