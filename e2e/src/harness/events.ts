import type { BatonClient } from '@baton/client';
import type { SessionEvent } from '@baton/domain';

/** A live record of one session's events (or every session's), with waiting on what comes. */
export interface EventRecorder {
  readonly events: SessionEvent[];
  /** Resolves with the first recorded event `matches` accepts, past or future. */
  waitFor(matches: (event: SessionEvent) => boolean, what?: string): Promise<SessionEvent>;
  close(): void;
}

/** Subscribes to `sessions.events` (from `lastEventId`, else the start) and records everything. */
export function recordEvents(
  client: BatonClient,
  sessionId: string,
  lastEventId: string | null = null,
): EventRecorder {
  const events: SessionEvent[] = [];
  const waiters: { matches: (e: SessionEvent) => boolean; resolve: (e: SessionEvent) => void }[] =
    [];
  let failure: Error | null = null;
  const subscription = client.sessions.events.subscribe(
    { sessionId, lastEventId },
    {
      onData: ({ data }) => {
        events.push(data);
        for (const waiter of [...waiters]) {
          if (waiter.matches(data)) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(data);
          }
        }
      },
      onError: (error) => {
        failure = error instanceof Error ? error : new Error(String(error));
      },
    },
  );
  return {
    events,
    waitFor(matches, what = 'an event') {
      if (failure) return Promise.reject(failure);
      const seen = events.find(matches);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        waiters.push({ matches, resolve });
        void what;
        void reject;
      });
    },
    close: () => subscription.unsubscribe(),
  };
}

/** Matches the run becoming idle after `afterSeq`. */
export const runIdleAfter =
  (afterSeq: number) =>
  (event: SessionEvent): boolean =>
    event.seq > afterSeq && event.type === 'run.state' && event.data.to === 'idle';
