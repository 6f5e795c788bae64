import type { Database } from '@baton/db';
import { hasTokens, listTokens, migrate, openDatabase } from '@baton/db';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BootstrapTokens } from './bootstrap';
import { bootstrapTokens } from './bootstrap';

let database: Database;
const now = Date.UTC(2030, 0, 1);

beforeEach(async () => {
  database = await openDatabase({ dataDir: 'memory://' });
  await migrate(database);
});
afterEach(() => database.close());

describe('bootstrapTokens', () => {
  it('makes an operator and a client token on a first start, and none afterwards', async () => {
    const shown: BootstrapTokens[] = [];
    const show = (tokens: BootstrapTokens) => {
      shown.push(tokens);
      return Promise.resolve();
    };
    expect(await bootstrapTokens(database, now, show)).toBe(true);
    expect(await bootstrapTokens(database, now, show)).toBe(false);
    expect(shown).toHaveLength(1);
    expect((await listTokens(database.db)).map((t) => t.role).sort()).toEqual([
      'client',
      'operator',
    ]);
  });

  it('stores no token when showing them failed, so the next start shows new ones', async () => {
    const failing = () => Promise.reject(new Error('EPIPE: stdout is gone'));
    await expect(bootstrapTokens(database, now, failing)).rejects.toThrow('EPIPE');
    expect(await hasTokens(database.db)).toBe(false);

    const shown: BootstrapTokens[] = [];
    const show = (tokens: BootstrapTokens) => {
      shown.push(tokens);
      return Promise.resolve();
    };
    expect(await bootstrapTokens(database, now, show)).toBe(true);
    expect(shown).toHaveLength(1);
  });
});
