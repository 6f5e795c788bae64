/**
 * Bounds how many model calls this replica runs at once, and how many wait for a slot: work
 * beyond both bounds is refused instead of piling up unbounded promises (each waiting step holds
 * its context in memory and its session's lease). It is a per-process resource bound, not a
 * lock: what must hold across replicas (one flow per session) is the database's job.
 */
export interface Limiter {
  /**
   * Runs `task` once a slot is free, first come first served; null, without running it, when
   * every slot is taken and the line is full.
   */
  run<T>(task: () => Promise<T>): Promise<T> | null;
  /** Tasks running now and waiting for a slot. */
  readonly active: number;
  readonly waiting: number;
  /** Whether `run` would refuse a task now. */
  readonly full: boolean;
}

/** A limiter of `concurrency` slots and a line of at most `maxWaiting` tasks. */
export function createLimiter(concurrency: number, maxWaiting: number): Limiter {
  let active = 0;
  const queue: (() => void)[] = [];
  // A freed slot passes straight to the next in line, so no newcomer can take it in between.
  const release = (): void => {
    const next = queue.shift();
    if (next) next();
    else active -= 1;
  };
  const isFull = (): boolean => active >= concurrency && queue.length >= maxWaiting;
  const runWhenFree = async <T>(task: () => Promise<T>): Promise<T> => {
    if (active < concurrency) active += 1;
    else await new Promise<void>((resolve) => queue.push(resolve));
    try {
      return await task();
    } finally {
      release();
    }
  };
  return {
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
    get full() {
      return isFull();
    },
    run: (task) => (isFull() ? null : runWhenFree(task)),
  };
}
