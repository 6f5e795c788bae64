import { describe, expect, inject, it } from 'vitest';
import { testBackends, useTestDatabase } from '../testing/backends';
import { newSession, testClock } from '../testing/fixtures';
import {
  createToken,
  findSessionOwner,
  listTokens,
  revokedTokenIds,
  revokeToken,
  touchToken,
} from './tokens';

describe.each(testBackends(inject('databaseUrl')))('tokens on $kind', (backend) => {
  const t = useTestDatabase(backend);
  const clock = testClock();

  const lastUsedAt = async (id: string) =>
    (await listTokens(t.database.db)).find((token) => token.id === id)?.lastUsedAt;

  it('list the last use of a token, which a late or out-of-order sighting never moves back', async () => {
    const { db } = t.database;
    const { id } = await createToken(db, { name: 'used', role: 'client', now: clock.now });
    expect(await lastUsedAt(id)).toBeNull();
    await touchToken(db, { id, now: clock.now + 2_000 });
    expect(await lastUsedAt(id)).toBe(new Date(clock.now + 2_000).toISOString());
    await touchToken(db, { id, now: clock.now + 1_000 });
    expect(await lastUsedAt(id)).toBe(new Date(clock.now + 2_000).toISOString());
    await touchToken(db, { id, now: clock.now + 3_000 });
    expect(await lastUsedAt(id)).toBe(new Date(clock.now + 3_000).toISOString());
  });

  it('tell which of some token ids are revoked, leaving out live and unknown ones', async () => {
    const { db } = t.database;
    const live = await createToken(db, { name: 'live', role: 'client', now: clock.now });
    const gone = await createToken(db, { name: 'gone', role: 'operator', now: clock.now });
    expect(await revokeToken(db, { id: gone.id, now: clock.now })).toBe(true);
    expect(await revokedTokenIds(db, [live.id, gone.id, 'bootstrap'])).toEqual([gone.id]);
    expect(await revokedTokenIds(db, [])).toEqual([]);
  });

  it('name the owner of a session and its role, or none for an unstored owner or no session', async () => {
    const { database } = t;
    const client = await createToken(database.db, { name: 'c', role: 'client', now: clock.now });
    const operator = await createToken(database.db, {
      name: 'o',
      role: 'operator',
      now: clock.now,
    });
    const ofClient = await newSession(database, clock, { clientId: client.id });
    const ofOperator = await newSession(database, clock, { clientId: operator.id });
    const ofBootstrap = await newSession(database, clock, { clientId: 'bootstrap' });
    const ofNobody = await newSession(database, clock, { clientId: null });
    expect(await findSessionOwner(database.db, ofClient)).toEqual({
      tokenId: client.id,
      role: 'client',
    });
    expect(await findSessionOwner(database.db, ofOperator)).toEqual({
      tokenId: operator.id,
      role: 'operator',
    });
    expect(await findSessionOwner(database.db, ofBootstrap)).toEqual({
      tokenId: 'bootstrap',
      role: null,
    });
    expect(await findSessionOwner(database.db, ofNobody)).toEqual({ tokenId: null, role: null });
    expect(await findSessionOwner(database.db, 'ses_nobody_has')).toBeNull();
    // A revoked owner still owns its sessions.
    await revokeToken(database.db, { id: client.id, now: clock.now });
    expect(await findSessionOwner(database.db, ofClient)).toMatchObject({ role: 'client' });
  });
});
