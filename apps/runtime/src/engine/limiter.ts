/**
 * Bounds how many model calls this replica runs at once: work beyond the bound waits in line
 * instead of piling up unbounded promises. It is a per-process resource bound, not a lock:
 * what must hold across replicas (one flow per session) is the database's job.
 */
export interface Limiter {
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Tasks running now and waiting for a slot. */
  readonly active: number;
  readonly waiting: number;
}

/** A limiter of `concurrency` slots, first come first served. */
export function createLimiter(concurrency: number): Limiter {
  let active = 0;
  const queue: (() => void)[] = [];
  const release = (): void => {
    active -= 1;
    queue.shift()?.();
  };
  return {
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
    async run(task) {
      if (active >= concurrency) await new Promise<void>((resolve) => queue.push(resolve));
      active += 1;
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
}
