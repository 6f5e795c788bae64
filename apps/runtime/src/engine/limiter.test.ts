import { describe, expect, it } from 'vitest';
import { createLimiter } from './limiter';

/** The run of a task the limiter took (failing the test if it refused it). */
function taken<T>(run: Promise<T> | null): Promise<T> {
  if (!run) throw new Error('the limiter refused the task');
  return run;
}

/** A task that finishes when told to. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('the model call limiter', () => {
  it('runs at most its bound at once and the rest in arrival order', async () => {
    const limiter = createLimiter(2, 10);
    const gates = [gate(), gate(), gate()];
    const started: number[] = [];
    const runs = gates.map((g, i) =>
      taken(
        limiter.run(async () => {
          started.push(i);
          await g.promise;
          return i;
        }),
      ),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(limiter.active).toBe(2);
    expect(limiter.waiting).toBe(1);
    gates[1]?.open();
    await runs[1];
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    gates[0]?.open();
    gates[2]?.open();
    expect(await Promise.all(runs)).toEqual([0, 1, 2]);
    expect(limiter.active).toBe(0);
  });

  it('frees the slot of a task that failed', async () => {
    const limiter = createLimiter(1, 10);
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await limiter.run(() => Promise.resolve('next'))).toBe('next');
  });

  it('refuses a task, without running it, once every slot is taken and the line is full', async () => {
    const limiter = createLimiter(1, 2);
    const running = gate();
    const ran: string[] = [];
    const task = (name: string) => async () => {
      ran.push(name);
      await running.promise;
    };
    const accepted = ['a', 'b', 'c'].map((name) => taken(limiter.run(task(name))));
    expect(limiter.full).toBe(true);
    expect(limiter.run(task('refused'))).toBeNull();
    expect(limiter.waiting).toBe(2);
    running.open();
    await Promise.all(accepted);
    expect(ran).toEqual(['a', 'b', 'c']);
    expect(limiter.full).toBe(false);
    expect(limiter.active).toBe(0);
  });

  it('hands a freed slot to the next in line, not to a newcomer', async () => {
    const limiter = createLimiter(1, 10);
    const first = gate();
    const order: string[] = [];
    const a = limiter.run(async () => {
      order.push('a');
      await first.promise;
    });
    const b = limiter.run(() => {
      order.push('b');
      return Promise.resolve();
    });
    first.open();
    await a;
    // The slot went to b the moment a finished, before b has had a turn to run.
    const c = limiter.run(() => {
      order.push('c');
      return Promise.resolve();
    });
    expect(limiter.active).toBe(1);
    await Promise.all([b, c]);
    expect(order).toEqual(['a', 'b', 'c']);
    expect(limiter.active).toBe(0);
  });
});
