/**
 * Requests per token per minute, as a token bucket. Per replica: with N replicas a token may
 * reach N times the limit, which is acceptable for a guard against runaway clients (it is a
 * limit, not a guarantee that must hold across replicas).
 */
export interface RateLimiter {
  allow(key: string): boolean;
}

/** A limiter of `perMinute` requests per key; 0 allows everything. */
export function createRateLimiter(perMinute: number, now: () => number = Date.now): RateLimiter {
  if (perMinute <= 0) return { allow: () => true };
  const buckets = new Map<string, { tokens: number; at: number }>();
  const refillPerMs = perMinute / 60_000;
  return {
    allow(key) {
      const time = now();
      const bucket = buckets.get(key) ?? { tokens: perMinute, at: time };
      bucket.tokens = Math.min(perMinute, bucket.tokens + (time - bucket.at) * refillPerMs);
      bucket.at = time;
      buckets.set(key, bucket);
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
  };
}
