import { describe, expect, it } from 'vitest';
import type { Attempt } from './lookup-gate';
import { createLookupGate } from './lookup-gate';
import { createRateLimiter } from './rate-limit';

/** A budget of `perMinute` failed look-ups per address, on a clock that stands still. */
const budget = (perMinute: number) => createRateLimiter(perMinute, { now: () => 0 });

/** A fake database: counts the look-ups that reach it, and answers each when told to. */
function fakeDatabase() {
  const started: string[] = [];
  const answers = new Map<string, (found: boolean) => void>();
  let running = 0;
  let mostAtOnce = 0;
  let startedOne: () => void = () => undefined;
  return {
    started,
    get mostAtOnce() {
      return mostAtOnce;
    },
    /** A look-up of `name` that waits for {@link answer} (or, with `found` given, answers at once). */
    lookUp(name: string, found?: boolean) {
      return (): Promise<Attempt<string>> => {
        started.push(name);
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        startedOne();
        return new Promise<boolean>((resolve) => {
          if (found === undefined) answers.set(name, resolve);
          else resolve(found);
        }).then((wasFound) => {
          running -= 1;
          return { value: name, failed: !wasFound };
        });
      };
    },
    answer(name: string, found: boolean) {
      answers.get(name)?.(found);
    },
    /** Resolves once `count` look-ups have started in all. */
    startedAll(count: number) {
      return new Promise<void>((resolve) => {
        const check = () => {
          if (started.length >= count) resolve();
        };
        startedOne = check;
        check();
      });
    },
  };
}

describe('createLookupGate', () => {
  it('lets a burst of 200 look-ups that find their tokens through, a few at once, none refused', async () => {
    const gate = createLookupGate(budget(60), { atOnce: 8 });
    const database = fakeDatabase();
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => gate.run('10.0.0.1', database.lookUp(`t${i}`, true))),
    );
    expect(answers.filter((answer) => answer === null)).toHaveLength(0);
    expect(database.started).toHaveLength(200);
    expect(database.mostAtOnce).toBe(8);
  });

  it('lets a flood of bad tokens sent at once reach the database no more than the budget allows', async () => {
    const gate = createLookupGate(budget(5), { atOnce: 8 });
    const database = fakeDatabase();
    const flood = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        gate.run('10.0.0.1', database.lookUp(`bad${i}`, false)),
      ),
    );
    expect(database.started).toHaveLength(5);
    expect(flood.filter((answer) => answer === null)).toHaveLength(95);
    // Spent, with nothing running that could give some back: refused at once, without a look-up.
    expect(await gate.run('10.0.0.1', database.lookUp('good', true))).toBeNull();
    expect(await gate.run('10.0.0.2', database.lookUp('elsewhere', true))).toBe('elsewhere');
  });

  it('lets good tokens through behind bad ones, each good one giving its charge back', async () => {
    const gate = createLookupGate(budget(2), { atOnce: 8 });
    const database = fakeDatabase();
    const mixed = Array.from({ length: 20 }, (_, i) =>
      gate.run('10.0.0.1', database.lookUp(`t${i}`, i !== 0)),
    );
    expect(await Promise.all(mixed)).toEqual(Array.from({ length: 20 }, (_, i) => `t${i}`));
    // One failure charged: one look-up left, then refused.
    expect(await gate.run('10.0.0.1', database.lookUp('bad', false))).toBe('bad');
    expect(await gate.run('10.0.0.1', database.lookUp('more', true))).toBeNull();
  });

  it('starts waiting look-ups in the order they came', async () => {
    const gate = createLookupGate(budget(60), { atOnce: 2 });
    const database = fakeDatabase();
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    const answers = names.map((name) => gate.run('10.0.0.1', database.lookUp(name)));
    expect(database.started).toEqual(['a', 'b']);
    database.answer('b', true);
    await database.startedAll(3);
    database.answer('a', true);
    await database.startedAll(4);
    expect(database.started).toEqual(['a', 'b', 'c', 'd']);
    for (const name of ['d', 'c']) database.answer(name, true);
    await database.startedAll(6);
    expect(database.started).toEqual(names);
    for (const name of ['e', 'f']) database.answer(name, true);
    expect(await Promise.all(answers)).toEqual(names);
  });

  it('makes look-ups wait while the budget is out but running ones may give theirs back', async () => {
    const gate = createLookupGate(budget(2), { atOnce: 8 });
    const database = fakeDatabase();
    const first = gate.run('10.0.0.1', database.lookUp('first'));
    const second = gate.run('10.0.0.1', database.lookUp('second'));
    const third = gate.run('10.0.0.1', database.lookUp('third'));
    const fourth = gate.run('10.0.0.1', database.lookUp('fourth'));
    expect(database.started).toEqual(['first', 'second']);
    database.answer('first', true);
    await database.startedAll(3);
    database.answer('second', false);
    database.answer('third', false);
    // Both charges spent by failures, none running: the last is refused, never looked up.
    expect(await Promise.all([first, second, third, fourth])).toEqual([
      'first',
      'second',
      'third',
      null,
    ]);
    expect(database.started).toEqual(['first', 'second', 'third']);
  });

  it('refuses a look-up when too many of its address wait already', async () => {
    const gate = createLookupGate(budget(60), { atOnce: 1, waiting: 2 });
    const database = fakeDatabase();
    const answers = ['a', 'b', 'c'].map((name) => gate.run('10.0.0.1', database.lookUp(name)));
    expect(await gate.run('10.0.0.1', database.lookUp('d'))).toBeNull();
    for (const [i, name] of ['a', 'b', 'c'].entries()) {
      await database.startedAll(i + 1);
      database.answer(name, true);
    }
    expect(await Promise.all(answers)).toEqual(['a', 'b', 'c']);
  });

  it('keeps the charge of a look-up that throws, and frees its turn', async () => {
    const gate = createLookupGate(budget(1), { atOnce: 1 });
    const broken = gate.run('10.0.0.1', () => Promise.reject(new Error('connection lost')));
    await expect(broken).rejects.toThrow('connection lost');
    expect(await gate.run('10.0.0.1', fakeDatabase().lookUp('next', true))).toBeNull();
    expect(gate.size).toBe(0);
  });

  it('forgets an address once none of its look-ups run or wait', async () => {
    const gate = createLookupGate(budget(1), { atOnce: 1 });
    const database = fakeDatabase();
    const answers = Array.from({ length: 10 }, (_, i) =>
      gate.run(`10.0.0.${i % 3}`, database.lookUp(`t${i}`)),
    );
    expect(gate.size).toBe(3);
    for (let i = 0; i < 10; i++) {
      await database.startedAll(i + 1);
      database.answer(database.started[i] ?? '', true);
    }
    await Promise.all(answers);
    expect(gate.size).toBe(0);
    // Refused ones leave nothing behind either.
    await gate.run('10.0.0.9', database.lookUp('bad', false));
    expect(await gate.run('10.0.0.9', database.lookUp('refused', true))).toBeNull();
    expect(gate.size).toBe(0);
  });
});
