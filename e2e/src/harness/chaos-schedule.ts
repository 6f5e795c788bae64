import type { SessionEvent } from '@baton/domain';
import type { SeededRandom } from './seeded-random';

/** When one kill comes: once the storm has made `afterProgress` progress, `jitterMs` later. */
export interface PlannedKill {
  readonly afterProgress: number;
  readonly jitterMs: number;
}

/**
 * The kill schedule of a storm, from its seed: `kills` moments spread at random over the first
 * `share` of the `total` progress the plans make, each with a random delay after the progress
 * is seen. Moments tied to progress, not to the clock, land inside the work however slow the
 * machine is, and never after it is all done; the delay moves them to any point of a model
 * step, a request or a restart (two kills at the same progress kill the restart's recovery).
 */
export function killSchedule(
  random: SeededRandom,
  args: { kills: number; total: number; share: number; maxJitterMs: number },
): PlannedKill[] {
  const last = Math.max(1, Math.floor(args.total * args.share));
  const moments = Array.from({ length: args.kills }, () => random.int(1, last));
  return moments
    .sort((a, b) => a - b)
    .map((afterProgress) => ({ afterProgress, jitterMs: random.int(0, args.maxJitterMs) }));
}

/** What counts as progress: a step's answer or a dispatched call, each event counted once. */
export const isProgress = (event: SessionEvent): boolean =>
  event.type === 'message.assistant' || event.type === 'tool_call.dispatched';

/** Progress over every session of a storm, with waiting for an amount of it. */
export interface ProgressCounter {
  readonly value: number;
  /** Records `event` (from any session); repeats of one event id count once. */
  see(event: SessionEvent): void;
  /** Resolves once `value` reaches `amount`. */
  reached(amount: number): Promise<void>;
}

export function progressCounter(): ProgressCounter {
  const seen = new Set<string>();
  const waiters: { amount: number; resolve: () => void }[] = [];
  return {
    get value() {
      return seen.size;
    },
    see(event) {
      if (!isProgress(event) || seen.has(event.id)) return;
      seen.add(event.id);
      for (const waiter of waiters.filter((w) => w.amount <= seen.size)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    },
    reached(amount) {
      if (seen.size >= amount) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ amount, resolve }));
    },
  };
}

/**
 * Rejects when nothing has happened for `quietMs`: no event in any session and no restart. A
 * storm waits for its plans to complete however long the kills make that; this is what tells a
 * stall (a plan that never completes) from slowness. `touch` rearms it; `stop` ends it.
 */
export function stallWatch(
  quietMs: number,
  describe: () => string,
): { readonly stalled: Promise<never>; touch(): void; stop(): void } {
  let reject = (_error: Error): void => undefined;
  const stalled = new Promise<never>((_, r) => (reject = r));
  // Only ever raced against the storm; a rejection after it ended is not a failure.
  stalled.catch(() => undefined);
  let timer: NodeJS.Timeout | null = null;
  const arm = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(
      () => reject(new Error(`nothing happened for ${quietMs} ms:\n${describe()}`)),
      quietMs,
    );
  };
  arm();
  return {
    stalled,
    touch: arm,
    stop() {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
