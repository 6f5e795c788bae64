import { describe, expect, it } from 'vitest';
import type { RunTransaction } from './group-commit';
import { createGroupCommit } from './group-commit';

/** A transaction log: which members ran in which transaction, and how each ended. */
interface FakeTx {
  readonly id: number;
  readonly ran: string[];
  /** Whether COMMIT was sent before the members' answers were in. */
  committedEarly?: boolean;
}

function fakeTransactions(options: { failCommitOf?: (tx: FakeTx) => boolean } = {}) {
  const transactions: { tx: FakeTx; ended: 'committed' | 'rolled back' | 'commit failed' }[] = [];
  let open = 0;
  let started = 0;
  let mostOpen = 0;
  const transaction: RunTransaction<FakeTx> = async (fn) => {
    started += 1;
    const tx: FakeTx = { id: started, ran: [] };
    open += 1;
    mostOpen = Math.max(mostOpen, open);
    try {
      const result = await fn(tx, () => {
        tx.committedEarly = true;
      });
      if (options.failCommitOf?.(tx)) {
        transactions.push({ tx, ended: 'commit failed' });
        throw new Error('connection lost at COMMIT');
      }
      transactions.push({ tx, ended: 'committed' });
      return result;
    } catch (error) {
      if (!transactions.some((t) => t.tx === tx)) transactions.push({ tx, ended: 'rolled back' });
      throw error;
    } finally {
      open -= 1;
    }
  };
  return { transaction, transactions, mostOpen: () => mostOpen };
}

/** A member that records itself in its transaction, and whose writes answer `key:tx`. */
const member = (key: string) => async (tx: FakeTx) => {
  tx.ran.push(key);
  await Promise.resolve();
  return { send: () => Promise.resolve(`${key}:${tx.id}`) };
};

describe('group commit', () => {
  it('runs the members of one tick in one transaction, in key order, each with its own result', async () => {
    const fake = fakeTransactions();
    const groups = createGroupCommit(fake.transaction);
    const results = await Promise.all(['c', 'a', 'b'].map((key) => groups.run(key, member(key))));
    expect(results).toEqual(['c:1', 'a:1', 'b:1']);
    expect(fake.transactions).toEqual([
      { tx: { id: 1, ran: ['a', 'b', 'c'], committedEarly: true }, ended: 'committed' },
    ]);
  });

  it('sends the writes of every member only once all have decided, then COMMIT', async () => {
    const fake = fakeTransactions();
    const groups = createGroupCommit(fake.transaction);
    const log: string[] = [];
    const deciding = (key: string, reads: number) => async (tx: FakeTx) => {
      for (let i = 0; i < reads; i++) await Promise.resolve();
      log.push(`decided ${key}`);
      return {
        send: () => {
          log.push(`sent ${key} (commit sent: ${String(tx.committedEarly ?? false)})`);
          return Promise.resolve(key);
        },
      };
    };
    await Promise.all([groups.run('a', deciding('a', 5)), groups.run('b', deciding('b', 1))]);
    expect(log).toEqual([
      'decided b',
      'decided a',
      'sent a (commit sent: false)',
      'sent b (commit sent: false)',
    ]);
    expect(fake.transactions[0]?.tx.committedEarly).toBe(true);
  });

  it('never runs two members of one key at once: the second waits for the first', async () => {
    const fake = fakeTransactions();
    const groups = createGroupCommit(fake.transaction);
    const results = await Promise.all([
      groups.run('s1', member('s1')),
      groups.run('s1', member('s1')),
      groups.run('s2', member('s2')),
    ]);
    expect(results).toEqual(['s1:1', 's1:2', 's2:1']);
    expect(fake.mostOpen()).toBe(1);
    for (const { tx } of fake.transactions) expect(new Set(tx.ran).size).toBe(tx.ran.length);
    expect(fake.transactions.flatMap(({ tx }) => tx.ran).sort()).toEqual(['s1', 's1', 's2']);
  });

  it('runs every member again alone when one fails: the others commit, it fails with its own error', async () => {
    const fake = fakeTransactions();
    const groups = createGroupCommit(fake.transaction);
    const failing = async (tx: FakeTx) => {
      tx.ran.push('bad');
      await Promise.resolve();
      return { send: () => Promise.reject(new Error('bad input')) };
    };
    const settled = await Promise.allSettled([
      groups.run('a', member('a')),
      groups.run('bad', failing),
      groups.run('c', member('c')),
    ]);
    expect(settled[0]).toMatchObject({ status: 'fulfilled', value: 'a:2' });
    expect(settled[1]).toMatchObject({ status: 'rejected', reason: { message: 'bad input' } });
    expect(settled[2]).toMatchObject({ status: 'fulfilled', value: 'c:4' });
    expect(fake.transactions[0]).toEqual({
      tx: { id: 1, ran: ['a', 'bad', 'c'], committedEarly: true },
      ended: 'rolled back',
    });
    expect(fake.transactions.slice(1).map((t) => [t.tx.ran, t.ended] as const)).toEqual(
      expect.arrayContaining([
        [['a'], 'committed'],
        [['bad'], 'rolled back'],
        [['c'], 'committed'],
      ]),
    );
  });

  it('runs the others again alone when a member fails before it sends its writes', async () => {
    const fake = fakeTransactions();
    const groups = createGroupCommit(fake.transaction);
    const settled = await Promise.allSettled([
      groups.run('a', member('a')),
      groups.run('bad', () => Promise.reject(new Error('no such session'))),
    ]);
    expect(settled[0]).toMatchObject({ status: 'fulfilled', value: 'a:2' });
    expect(settled[1]).toMatchObject({
      status: 'rejected',
      reason: { message: 'no such session' },
    });
    expect(fake.transactions[0]?.tx.committedEarly).toBeUndefined();
  });

  it('does not run members again when the COMMIT itself failed: it may have committed', async () => {
    const fake = fakeTransactions({ failCommitOf: (tx) => tx.ran.length > 1 });
    const groups = createGroupCommit(fake.transaction);
    const settled = await Promise.allSettled(['a', 'b'].map((key) => groups.run(key, member(key))));
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
    expect(fake.transactions).toHaveLength(1);
  });

  it('keeps at most `inFlight` transactions open, and groups what waits meanwhile', async () => {
    const fake = fakeTransactions();
    const groups = createGroupCommit(fake.transaction, { members: 3, inFlight: 1 });
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = groups.run('first', async (tx) => {
      tx.ran.push('first');
      await held;
      return { send: () => Promise.resolve('first') };
    });
    await new Promise(setImmediate);
    const later = ['a', 'b', 'c', 'd'].map((key) => groups.run(key, member(key)));
    await new Promise(setImmediate);
    expect(fake.transactions).toHaveLength(0);
    release();
    await Promise.all([first, ...later]);
    expect(fake.mostOpen()).toBe(1);
    expect(fake.transactions.map(({ tx }) => tx.ran)).toEqual([['first'], ['a', 'b', 'c'], ['d']]);
  });
});
