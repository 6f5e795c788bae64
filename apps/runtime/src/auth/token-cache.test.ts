import type { Database } from '@baton/db';
import {
  createToken,
  hashToken,
  migrate,
  openDatabase,
  revokeToken,
  subscribeTokenRevocations,
} from '@baton/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenCache } from './token-cache';
import { openTokenCache } from './token-cache';

let database: Database;
let clock = 1_000;
/** A cache that hears no notifications: what it answers after a revocation came from memory. */
let deafCache: TokenCache;
let cache: TokenCache;

beforeAll(async () => {
  database = await openDatabase({ dataDir: 'memory://' });
  await migrate(database);
  const deaf: Database = { ...database, listen: () => Promise.resolve(() => Promise.resolve()) };
  deafCache = await openTokenCache(deaf, { ttlMs: 5_000, now: () => clock });
  cache = await openTokenCache(database);
});
afterAll(async () => {
  await deafCache.close();
  await cache.close();
  await database.close();
});

const newToken = (name: string) =>
  createToken(database.db, { name, role: 'client', now: Date.now() });

const revoke = async (id: string) =>
  expect(await revokeToken(database.db, { id, now: Date.now() })).toBe(true);

/** Revokes a token and resolves once the revocation's notification has been delivered. */
async function revokeAndHear(id: string): Promise<void> {
  let heard!: () => void;
  const delivered = new Promise<void>((resolve) => (heard = resolve));
  const unsubscribe = await subscribeTokenRevocations(database, (tokenId) => {
    if (tokenId === id) heard();
  });
  await revoke(id);
  await delivered;
  await unsubscribe();
}

describe('openTokenCache', () => {
  it('answers a known token from memory until its TTL runs out', async () => {
    const { id, token } = await newToken('cached');
    expect(await deafCache.find(hashToken(token))).toMatchObject({ id });
    await revoke(id);
    expect(await deafCache.find(hashToken(token))).toMatchObject({ id });
    clock += 5_001;
    expect(await deafCache.find(hashToken(token))).toBeNull();
  });

  it('forgets a token revoked anywhere as soon as the notification arrives', async () => {
    const { id, token } = await newToken('revoked elsewhere');
    expect(await cache.find(hashToken(token))).toMatchObject({ id });
    await revokeAndHear(id);
    expect(await cache.find(hashToken(token))).toBeNull();
  });

  it('forgets a token at once when told', async () => {
    const { id, token } = await newToken('forgotten');
    expect(await deafCache.find(hashToken(token))).toMatchObject({ id });
    await revoke(id);
    deafCache.forget(id);
    expect(await deafCache.find(hashToken(token))).toBeNull();
  });

  it('does not remember unknown tokens, so one created later is found', async () => {
    expect(await deafCache.find(hashToken('baton_not_yet'))).toBeNull();
    const again = await createToken(database.db, {
      name: 'later',
      role: 'operator',
      now: Date.now(),
      token: 'baton_not_yet',
    });
    expect(await deafCache.find(hashToken('baton_not_yet'))).toMatchObject({ id: again.id });
  });

  it('shares one lookup between concurrent requests and caches nothing it read before a revocation', async () => {
    const { id, token } = await newToken('racing');
    const [first, second] = [deafCache.find(hashToken(token)), deafCache.find(hashToken(token))];
    expect(first).toBe(second);
    deafCache.forget(id); // a revocation lands while the lookup is in flight
    await revoke(id);
    expect(await first).toMatchObject({ id });
    expect(await deafCache.find(hashToken(token))).toBeNull();
  });
});
