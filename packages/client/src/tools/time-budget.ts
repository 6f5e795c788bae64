/** A signal that aborts when the caller's does or when the time is up, whichever comes first. */
export interface TimeBudget {
  readonly signal: AbortSignal;
  /** Clears the timer and stops listening to the caller's signal. */
  readonly release: () => void;
}

/** Starts a budget of `ms` milliseconds that the caller's `signal` can also end early. */
export function startTimeBudget(ms: number, signal: AbortSignal | undefined): TimeBudget {
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort(new Error(`the time budget of ${ms} ms is spent`));
  }, ms);
  const onAbort = (): void => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) onAbort();
  return {
    signal: controller.signal,
    release: () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    },
  };
}
