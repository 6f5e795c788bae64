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
import { createRateLimiter } from './rate-limit';
import type { TokenCache } from './token-cache';
import { openTokenCache } from './token-cache';
import { REVOKED_MESSAGE } from './token-streams';

let database: Database;
let clock = 1_000;
/** A cache that hears no notifications: what it answers after a revocation came from memory. */
let deafCache: TokenCache;
let cache: TokenCache;
/** Tells the deaf cache opened last that its listening connection came back (notifications lost). */
let reconnect: () => void = () => undefined;
const opened: TokenCache[] = [];

/** A database whose notifications never arrive, but whose reconnections can be staged. */
function deafDatabase(): Database {
  return {
    ...database,
    listen: (_channel, _onPayload, onReconnect) => {
      reconnect = onReconnect ?? (() => undefined);
      return Promise.resolve(() => Promise.resolve());
    },
  };
}

/** Another deaf cache on the shared clock, with `options`. */
async function deafCacheWith(options: Parameters<typeof openTokenCache>[1]): Promise<TokenCache> {
  const made = await openTokenCache(deafDatabase(), { now: () => clock, ...options });
  opened.push(made);
  return made;
}

beforeAll(async () => {
  database = await openDatabase({ dataDir: 'memory://' });
  await migrate(database);
  deafCache = await deafCacheWith({ ttlMs: 5_000, unknownTtlMs: 1_000 });
  cache = await openTokenCache(database);
  opened.push(cache);
});
afterAll(async () => {
  for (const made of opened) await made.close();
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

/** Resolves when `signal` aborts. */
const aborted = (signal: AbortSignal | undefined) =>
  new Promise<void>((resolve) => {
    if (!signal || signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });

/** The queries `run` caused. */
async function queriesOf(run: () => Promise<unknown>): Promise<number> {
  const before = database.queryCount();
  await run();
  return database.queryCount() - before;
}

describe('openTokenCache', () => {
  it('answers a known token from memory until its TTL runs out', async () => {
    const { id, token } = await newToken('cached');
    expect(await deafCache.find(hashToken(token))).toMatchObject({ token: { id } });
    await revoke(id);
    expect(await deafCache.find(hashToken(token))).toMatchObject({ token: { id } });
    clock += 5_001;
    expect(await deafCache.find(hashToken(token))).toEqual({ status: 'unknown' });
  });

  it('forgets a token revoked anywhere as soon as the notification arrives', async () => {
    const { id, token } = await newToken('revoked elsewhere');
    expect(await cache.find(hashToken(token))).toMatchObject({ status: 'found', token: { id } });
    await revokeAndHear(id);
    expect(await cache.find(hashToken(token))).toEqual({ status: 'unknown' });
  });

  it('forgets a token at once when told', async () => {
    const { id, token } = await newToken('forgotten');
    expect(await deafCache.find(hashToken(token))).toMatchObject({ token: { id } });
    await revoke(id);
    deafCache.forget(id);
    expect(await deafCache.find(hashToken(token))).toEqual({ status: 'unknown' });
  });

  it('answers a hash that matched no token from memory briefly, then asks again', async () => {
    const hash = hashToken('baton_not_yet');
    expect(await queriesOf(() => deafCache.find(hash))).toBe(1);
    expect(await queriesOf(() => deafCache.find(hash))).toBe(0);
    const again = await createToken(database.db, {
      name: 'later',
      role: 'operator',
      now: Date.now(),
      token: 'baton_not_yet',
    });
    clock += 1_000;
    expect(await deafCache.find(hash)).toMatchObject({ token: { id: again.id } });
  });

  it('remembers a bounded number of unknown hashes, forgetting the oldest first', async () => {
    const small = await deafCacheWith({ maxUnknown: 2 });
    for (const guess of ['one', 'two', 'three']) await small.find(hashToken(guess));
    expect(await queriesOf(() => small.find(hashToken('three')))).toBe(0);
    expect(await queriesOf(() => small.find(hashToken('one')))).toBe(1);
  });

  it('refuses an address after too many failed lookups without asking, and no other address', async () => {
    const strict = await deafCacheWith({
      failedLookups: createRateLimiter(2, { now: () => clock }),
    });
    const { token } = await newToken('good, from the same address');
    await strict.find(hashToken('guess 1'), '10.0.0.1');
    await strict.find(hashToken('guess 2'), '10.0.0.1');
    expect(
      await queriesOf(async () => {
        expect(await strict.find(hashToken('guess 3'), '10.0.0.1')).toEqual({
          status: 'throttled',
        });
        // A token not yet in memory would need a query too: refused alike, until the budget refills.
        expect(await strict.find(hashToken(token), '10.0.0.1')).toEqual({ status: 'throttled' });
      }),
    ).toBe(0);
    expect(await strict.find(hashToken('guess 3'), '10.0.0.2')).toEqual({ status: 'unknown' });
    clock += 30_000;
    expect(await strict.find(hashToken(token), '10.0.0.1')).toMatchObject({ status: 'found' });
  });

  it('lets a flood of made-up tokens sent at once query no more than the budget, refusing the rest', async () => {
    const strict = await deafCacheWith({
      failedLookups: createRateLimiter(3, { now: () => clock }),
    });
    const { token } = await newToken('found, and given back');
    expect(await strict.find(hashToken(token), '10.0.0.3')).toMatchObject({ status: 'found' });
    let flood: Awaited<ReturnType<TokenCache['find']>>[] = [];
    const queries = await queriesOf(async () => {
      flood = await Promise.all(
        Array.from({ length: 20 }, (_, i) => strict.find(hashToken(`flood ${i}`), '10.0.0.3')),
      );
    });
    expect(queries).toBe(3);
    expect(flood.filter((answer) => answer.status === 'unknown')).toHaveLength(3);
    expect(flood.filter((answer) => answer.status === 'throttled')).toHaveLength(17);
  });

  it('finds a burst of 200 new tokens sent at once from one address, whatever its budget', async () => {
    const strict = await deafCacheWith({
      failedLookups: createRateLimiter(3, { now: () => clock }),
    });
    const tokens = await Promise.all(Array.from({ length: 200 }, (_, i) => newToken(`burst ${i}`)));
    // One failure spends a third of the budget: the burst takes turns on what is left.
    await strict.find(hashToken('a typo'), '10.0.0.4');
    let burst: Awaited<ReturnType<TokenCache['find']>>[] = [];
    const queries = await queriesOf(async () => {
      burst = await Promise.all(
        tokens.map(({ token }) => strict.find(hashToken(token), '10.0.0.4')),
      );
    });
    expect(burst.map((answer) => answer.status)).toEqual(tokens.map(() => 'found'));
    expect(queries).toBe(200);
    // Its budget is as the one failure left it.
    await strict.find(hashToken('another typo'), '10.0.0.4');
    await strict.find(hashToken('a third typo'), '10.0.0.4');
    expect(await strict.find(hashToken('one too many'), '10.0.0.4')).toEqual({
      status: 'throttled',
    });
  });

  it('shares one lookup between concurrent requests and caches nothing it read before a revocation', async () => {
    const { id, token } = await newToken('racing');
    let first!: Promise<unknown>;
    const queries = await queriesOf(async () => {
      first = deafCache.find(hashToken(token));
      const second = deafCache.find(hashToken(token));
      deafCache.forget(id); // a revocation lands while the lookup is in flight
      await revoke(id);
      expect(await second).toMatchObject({ token: { id } });
    });
    expect(await first).toMatchObject({ token: { id } });
    expect(queries).toBe(2); // one lookup, one revocation
    expect(await deafCache.find(hashToken(token))).toEqual({ status: 'unknown' });
  });

  it('ends the open streams of a token revoked on another replica when the notification arrives', async () => {
    const { id } = await newToken('streaming');
    const other = await newToken('streaming, not revoked');
    const slot = cache.streams.open(id);
    const untouched = cache.streams.open(other.id);
    await revokeAndHear(id);
    expect(slot?.signal.aborted).toBe(true);
    expect(slot?.endedBecause()).toBe(REVOKED_MESSAGE);
    expect(untouched?.signal.aborted).toBe(false);
    untouched?.close();
  });

  it('after lost notifications, ends the streams of the tokens revoked meanwhile, and only those', async () => {
    const deaf = await deafCacheWith({});
    const revoked = await newToken('revoked while nobody listened');
    const live = await newToken('still live');
    const [gone, kept] = [deaf.streams.open(revoked.id), deaf.streams.open(live.id)];
    await revoke(revoked.id);
    reconnect();
    await aborted(gone?.signal);
    expect(gone?.endedBecause()).toBe(REVOKED_MESSAGE);
    expect(kept?.signal.aborted).toBe(false);
    kept?.close();
  });
});
