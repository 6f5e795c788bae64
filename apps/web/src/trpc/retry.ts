import { TRPCClientError } from '@trpc/client';

/** Errors that retrying cannot fix: the request or the login is wrong. */
const FINAL_CODES = new Set(['UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'BAD_REQUEST']);

/** The tRPC error code of `error`, when the runtime answered with one. */
function codeOf(error: unknown): string | undefined {
  return error instanceof TRPCClientError
    ? (error.data as { code?: string } | undefined)?.code
    : undefined;
}

/** Whether trying `error`'s request again may work (a lost connection, an overloaded runtime). */
export function isRetryable(error: unknown): boolean {
  const code = codeOf(error);
  return !(code && FINAL_CODES.has(code));
}

/**
 * How long to wait before subscribing again after the `attempt`-th failed attempt: ½ s, doubling
 * up to 5 s. A subscription only fails this way when the runtime (or the dashboard's server) is
 * unreachable; a drop the browser's EventSource recovers from by itself never gets here.
 */
export function resubscribeDelayMs(attempt: number): number {
  return Math.min(500 * 2 ** Math.max(0, attempt - 1), 5_000);
}
