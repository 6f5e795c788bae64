import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { isRetryable, resubscribeDelayMs } from './retry';

const answered = (code: string) =>
  TRPCClientError.from({ error: { code: -32000, message: code, data: { code } } });

describe('retrying after a failure', () => {
  it('retries a lost connection or an overloaded runtime, not a refusal', () => {
    expect(isRetryable(new TRPCClientError('network error'))).toBe(true);
    expect(isRetryable(answered('BAD_GATEWAY'))).toBe(true);
    expect(isRetryable(answered('TOO_MANY_REQUESTS'))).toBe(true);
    for (const code of ['UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'BAD_REQUEST']) {
      expect(isRetryable(answered(code))).toBe(false);
    }
  });

  it('waits longer after each failed attempt to subscribe, up to 5 s', () => {
    expect([1, 2, 3, 4, 5, 10].map(resubscribeDelayMs)).toEqual([
      500, 1000, 2000, 4000, 5000, 5000,
    ]);
  });
});
