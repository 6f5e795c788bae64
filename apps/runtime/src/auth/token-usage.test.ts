import type { Database } from '@baton/db';
import { createToken, listTokens, migrate, openDatabase } from '@baton/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenUsage } from './token-usage';

let database: Database;

beforeAll(async () => {
  database = await openDatabase({ dataDir: 'memory://' });
  await migrate(database);
});
afterAll(() => database.close());

const lastUsedAt = async (id: string) =>
  (await listTokens(database.db)).find((token) => token.id === id)?.lastUsedAt;

describe('createTokenUsage', () => {
  it('writes a token’s last use for tokens.list at most once a minute, however often it is used', async () => {
    const clock = { now: Date.UTC(2030, 0, 1) };
    const usage = createTokenUsage(database.db, { now: () => clock.now });
    const { id } = await createToken(database.db, { name: 'busy', role: 'client', now: 0 });
    const first = clock.now;
    await usage.note(id);
    expect(await lastUsedAt(id)).toBe(new Date(first).toISOString());

    const before = database.queryCount();
    for (let i = 0; i < 100; i++) {
      clock.now += 500;
      await usage.note(id);
    }
    expect(database.queryCount() - before).toBe(0);
    expect(await lastUsedAt(id)).toBe(new Date(first).toISOString());

    clock.now = first + 60_000;
    await usage.note(id);
    expect(await lastUsedAt(id)).toBe(new Date(first + 60_000).toISOString());
  });

  it('writes each token’s use on its own schedule', async () => {
    const clock = { now: Date.UTC(2030, 0, 2) };
    const usage = createTokenUsage(database.db, { now: () => clock.now });
    const a = await createToken(database.db, { name: 'a', role: 'client', now: 0 });
    const b = await createToken(database.db, { name: 'b', role: 'operator', now: 0 });
    await usage.note(a.id);
    clock.now += 1_000;
    await usage.note(b.id);
    expect(await lastUsedAt(a.id)).toBe(new Date(clock.now - 1_000).toISOString());
    expect(await lastUsedAt(b.id)).toBe(new Date(clock.now).toISOString());
  });
});
