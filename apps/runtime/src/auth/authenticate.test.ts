import * as crypto from 'node:crypto';
import type { ApiToken } from '@baton/db';
import { hashToken } from '@baton/db';
import { describe, expect, it, vi } from 'vitest';
import { authenticate, tokenFrom } from './authenticate';
import type { TokenLookup } from './token-cache';

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof crypto>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const BOOTSTRAP = 'bootstrap-secret-0123456789';
const stored: ApiToken = {
  id: 'tok_stored',
  name: 'stored',
  role: 'client',
  createdAt: new Date(0).toISOString(),
  lastUsedAt: null,
  revokedAt: null,
};

/** A token cache that knows one secret, and says what it was asked. */
function tokensKnowing(secret: string, answer?: TokenLookup) {
  const asked: [string, string | undefined][] = [];
  return {
    asked,
    find: (hash: string, from?: string): Promise<TokenLookup> => {
      asked.push([hash, from]);
      if (answer) return Promise.resolve(answer);
      return Promise.resolve(
        hash === hashToken(secret) ? { status: 'found', token: stored } : { status: 'unknown' },
      );
    },
  };
}

const query = { subscription: false, from: '10.0.0.1' };
const subscription = { subscription: true, from: '10.0.0.1' };
const header = (token: string) => tokenFrom(`Bearer ${token}`, null);
const inUrl = (token: string) => tokenFrom(undefined, { token });

describe('authenticate', () => {
  it('accepts BATON_BOOTSTRAP_TOKEN as admin, compared in constant time over equal-length digests', async () => {
    const compare = vi.mocked(crypto.timingSafeEqual);
    compare.mockClear();
    const tokens = tokensKnowing('baton_other');
    const auth = await authenticate(tokens, header(BOOTSTRAP), BOOTSTRAP, query);
    expect(auth).toMatchObject({ token: { id: 'bootstrap', role: 'admin' }, stored: false });
    expect(tokens.asked).toEqual([]);
    expect(compare).toHaveBeenCalledTimes(1);
    const [given, expected] = compare.mock.calls[0] ?? [];
    expect([given?.byteLength, expected?.byteLength]).toEqual([32, 32]);
  });

  it('does not take a prefix, an extension or a near miss of the bootstrap token for it', async () => {
    const compare = vi.mocked(crypto.timingSafeEqual);
    compare.mockClear();
    for (const guess of [BOOTSTRAP.slice(0, -1), `${BOOTSTRAP}0`, `${BOOTSTRAP.slice(0, -1)}8`]) {
      const auth = await authenticate(
        tokensKnowing('baton_other'),
        header(guess),
        BOOTSTRAP,
        query,
      );
      expect(auth.token, guess).toBeNull();
      expect(auth.problem?.code, guess).toBe('UNAUTHORIZED');
    }
    // Each guess was compared (not refused early for its length).
    expect(compare).toHaveBeenCalledTimes(3);
  });

  it('looks a stored token up by its hash, charging the caller’s address', async () => {
    const tokens = tokensKnowing('baton_mine');
    const auth = await authenticate(tokens, header('baton_mine'), BOOTSTRAP, query);
    expect(auth).toEqual({ token: stored, problem: null, stored: true });
    expect(tokens.asked).toEqual([[hashToken('baton_mine'), '10.0.0.1']]);
  });

  it('refuses a token in the URL for a query or mutation, saying to send the header, without a lookup', async () => {
    const tokens = tokensKnowing('baton_mine');
    for (const presented of [inUrl('baton_mine'), tokenFrom('Bearer baton_mine', { token: 'x' })]) {
      const auth = await authenticate(tokens, presented, BOOTSTRAP, query);
      expect(auth.token).toBeNull();
      expect(auth.problem).toEqual({
        code: 'UNAUTHORIZED',
        message: expect.stringContaining('Authorization: Bearer') as string,
      });
    }
    expect(tokens.asked).toEqual([]);
  });

  it('accepts a token in the URL for a subscription (a browser’s EventSource sends no headers)', async () => {
    const auth = await authenticate(
      tokensKnowing('baton_mine'),
      inUrl('baton_mine'),
      BOOTSTRAP,
      subscription,
    );
    expect(auth.token).toEqual(stored);
  });

  it('answers TOO_MANY_REQUESTS when the address has had too many failed lookups', async () => {
    const tokens = tokensKnowing('baton_mine', { status: 'throttled' });
    const auth = await authenticate(tokens, header('baton_guess'), BOOTSTRAP, query);
    expect(auth.problem?.code).toBe('TOO_MANY_REQUESTS');
  });

  it('is anonymous without a token, and says nothing of whether an unknown one ever existed', async () => {
    const tokens = tokensKnowing('baton_mine');
    expect(await authenticate(tokens, tokenFrom(undefined, null), BOOTSTRAP, query)).toEqual({
      token: null,
      problem: null,
      stored: false,
    });
    const unknown = await authenticate(tokens, header('baton_nobody'), BOOTSTRAP, query);
    expect(unknown.problem).toEqual({
      code: 'UNAUTHORIZED',
      message: 'The API token is not valid (unknown or revoked).',
    });
  });
});
