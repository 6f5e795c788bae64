import { setTimeout as delay } from 'node:timers/promises';

import { APICallError } from 'ai';

/** How often and how patiently a model step is retried. */
export interface RetryPolicy {
  /** Attempts in all, the first included (1: no retry). */
  readonly attempts: number;
  /** Delay before the first retry; doubled for each one after it. */
  readonly baseDelayMs: number;
  /** Ceiling of any one delay. */
  readonly maxDelayMs: number;
}

/** Four attempts over about ten seconds. */
export const defaultRetryPolicy: RetryPolicy = { attempts: 4, baseDelayMs: 1000, maxDelayMs: 8000 };

/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** The real clock's sleep. */
export const realSleep: Sleep = async (ms, signal) => {
  await delay(ms, undefined, signal ? { signal } : undefined);
};

/** Why an attempt failed, as far as retrying is concerned. */
export interface FailureKind {
  readonly retryable: boolean;
  readonly statusCode: number | undefined;
  /** A delay the server asked for (`retry-after`), in milliseconds. */
  readonly retryAfterMs: number | undefined;
}

/** Connection-level failures worth another attempt (Node's and undici's codes). */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/**
 * Classifies a failed attempt: the SDK's own verdict for API errors (429, 408, 409, 5xx and
 * network failures are retryable), and otherwise a network error code or undici's
 * `fetch failed` / `terminated` anywhere in the cause chain.
 */
export function classifyFailure(error: unknown): FailureKind {
  if (APICallError.isInstance(error)) {
    return {
      retryable: error.isRetryable,
      statusCode: error.statusCode,
      retryAfterMs: retryAfterMs(error.responseHeaders),
    };
  }
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    const networkish =
      (typeof code === 'string' && NETWORK_CODES.has(code)) ||
      (e instanceof TypeError && /^(fetch failed|terminated)$/i.test(e.message));
    if (networkish) return { retryable: true, statusCode: undefined, retryAfterMs: undefined };
  }
  return { retryable: false, statusCode: undefined, retryAfterMs: undefined };
}

function retryAfterMs(headers: Record<string, string> | undefined): number | undefined {
  const value = headers?.['retry-after-ms'] ?? headers?.['retry-after'];
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) {
    return headers?.['retry-after-ms'] !== undefined ? seconds : seconds * 1000;
  }
  return undefined;
}

/**
 * The delay before retry number `retry` (1-based): exponential from `baseDelayMs`, capped at
 * `maxDelayMs`, with "equal jitter" (half fixed, half random) so that replicas hit by the same
 * outage do not retry in lockstep. A server's `retry-after` raises it, up to the cap.
 */
export function backoffDelay(
  policy: RetryPolicy,
  retry: number,
  random: () => number,
  retryAfter?: number,
): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  const jittered = exponential / 2 + (random() * exponential) / 2;
  return Math.round(Math.min(policy.maxDelayMs, Math.max(jittered, retryAfter ?? 0)));
}
