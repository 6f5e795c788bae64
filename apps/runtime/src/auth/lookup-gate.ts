import type { RateLimiter } from './rate-limit';

/** Look-ups of one address that may query at once, at most. */
export const DEFAULT_LOOKUPS_AT_ONCE = 8;
/** Look-ups of one address that may wait for their turn, at most; past it they are refused. */
export const DEFAULT_LOOKUPS_WAITING = 1_000;

/** What a look-up came to, and whether it failed (queried and found nothing): only that is charged. */
export interface Attempt<T> {
  readonly value: T;
  readonly failed: boolean;
}

/**
 * Admits the token look-ups of each client address against its budget of failed look-ups (a
 * {@link RateLimiter}), so that a flood of made-up tokens costs at most the budget in queries
 * and a burst of real ones is never refused for it.
 *
 * A look-up is charged when it starts and given back when it does not fail. One that would find
 * the budget empty while others of its address are still running waits for them (each may give
 * its charge back) instead of being refused; so does one past the address's look-ups at once.
 * Waiting look-ups start in the order they came. A look-up is refused only when the budget is
 * spent with none of its address running, or when too many wait already.
 */
export interface LookupGate {
  /**
   * Runs `attempt` for a caller at `from` — at once (before returning) when it may start, else
   * once its turn comes — and resolves to its value; `null`, without running it, if refused.
   * An attempt that throws keeps its charge.
   */
  run<T>(from: string, attempt: () => Promise<Attempt<T>>): Promise<T | null>;
  /** How many addresses have look-ups running or waiting (an idle address is forgotten). */
  readonly size: number;
}

/** The look-ups of one address: how many run, and the turns of those waiting, oldest first. */
interface Line {
  running: number;
  readonly waiting: ((admitted: boolean) => void)[];
}

/** A gate charging failed look-ups to `failures`, with `atOnce` running and `waiting` queued per address. */
export function createLookupGate(
  failures: RateLimiter,
  options: { atOnce?: number; waiting?: number } = {},
): LookupGate {
  const atOnce = options.atOnce ?? DEFAULT_LOOKUPS_AT_ONCE;
  const maxWaiting = options.waiting ?? DEFAULT_LOOKUPS_WAITING;
  const lines = new Map<string, Line>();

  const forgetIfIdle = (from: string, line: Line): void => {
    if (line.running === 0 && line.waiting.length === 0) lines.delete(from);
  };

  /**
   * Starts waiting look-ups while there is room and budget. With the budget spent they wait for
   * the running ones to give some back; with none running nothing can, and all are refused.
   */
  const advance = (from: string, line: Line): void => {
    while (line.waiting.length > 0 && line.running < atOnce) {
      if (failures.allow(from)) {
        line.running += 1;
        line.waiting.shift()?.(true);
      } else if (line.running > 0) {
        break;
      } else {
        for (const turn of line.waiting.splice(0)) turn(false);
      }
    }
    forgetIfIdle(from, line);
  };

  /** Runs an admitted (and charged) attempt; its end gives the charge back unless it failed. */
  const start = async <T>(from: string, line: Line, attempt: () => Promise<Attempt<T>>) => {
    let failed = true;
    try {
      const done = await attempt();
      failed = done.failed;
      return done.value;
    } finally {
      line.running -= 1;
      if (!failed) failures.giveBack(from);
      advance(from, line);
    }
  };

  return {
    run(from, attempt) {
      const line = lines.get(from) ?? { running: 0, waiting: [] };
      lines.set(from, line);
      // Nobody ahead of it: start now if it may (synchronously, so that callers who share an
      // in-flight query see it at once), or be refused if nothing running could give budget back.
      if (line.waiting.length === 0 && line.running < atOnce) {
        if (failures.allow(from)) {
          line.running += 1;
          return start(from, line, attempt);
        }
        if (line.running === 0) {
          forgetIfIdle(from, line);
          return Promise.resolve(null);
        }
      }
      if (line.waiting.length >= maxWaiting) return Promise.resolve(null);
      return new Promise<boolean>((turn) => line.waiting.push(turn)).then((admitted) =>
        admitted ? start(from, line, attempt) : null,
      );
    },
    get size() {
      return lines.size;
    },
  };
}
