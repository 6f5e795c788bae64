import type { BatonClient } from '@baton/client';
import type { SessionEvent } from '@baton/domain';

/**
 * The scenarios that restart runtimes, spread requests over replicas and drop subscriptions need
 * two things the plain recorder does not give: a stream that can be resumed elsewhere, and a
 * client that answers whatever the runtime asks for (tool calls, approvals) on its own.
 */

/** How long a scenario waits for an event before it fails with what it saw. */
export const WAIT_MS = 90_000;

/** Starts one subscription from `lastEventId` and hands over every event; returns its stop. */
type Subscribe = (
  lastEventId: string | null,
  onEvent: (event: SessionEvent) => void,
  onError: (error: Error) => void,
) => () => void;

/** A stream of events, recorded, that can be dropped and resumed (on the same or another runtime). */
export interface EventStream {
  /** Every event received, over all subscriptions, in arrival order. */
  readonly events: readonly SessionEvent[];
  /** The events of each subscription (a new one starts at every {@link resume}). */
  readonly segments: readonly (readonly SessionEvent[])[];
  /** Resolves with the first received event `matches` accepts (past or future); rejects after 90 s. */
  waitFor(matches: (event: SessionEvent) => boolean, what: string): Promise<SessionEvent>;
  /** Stops receiving; returns the id of the last event received (null: none yet). */
  drop(): string | null;
  /** Subscribes again from the last event received, with `subscribe` (e.g. a new runtime's). */
  resume(subscribe?: Subscribe): void;
  close(): void;
}

/** `sessions.events` of one session, as a {@link Subscribe}. */
export function sessionEvents(client: BatonClient, sessionId: string): Subscribe {
  return (lastEventId, onEvent, onError) => {
    const subscription = client.sessions.events.subscribe(
      { sessionId, lastEventId },
      { onData: ({ data }) => onEvent(data), onError: (error) => onError(asError(error)) },
    );
    return () => subscription.unsubscribe();
  };
}

/** `events.all` (operator), as a {@link Subscribe}. */
export function allEvents(operator: BatonClient): Subscribe {
  return (lastEventId, onEvent, onError) => {
    const subscription = operator.events.all.subscribe(
      { lastEventId },
      { onData: ({ data }) => onEvent(data), onError: (error) => onError(asError(error)) },
    );
    return () => subscription.unsubscribe();
  };
}

export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Follows a stream from `lastEventId` (null: from the first event) and records it; `onEvent`
 * sees each event received, once recorded.
 */
export function followStream(
  subscribe: Subscribe,
  lastEventId: string | null = null,
  onEvent?: (event: SessionEvent) => void,
): EventStream {
  const events: SessionEvent[] = [];
  const segments: SessionEvent[][] = [];
  const waiters: {
    matches: (e: SessionEvent) => boolean;
    resolve: (e: SessionEvent) => void;
    reject: (error: Error) => void;
  }[] = [];
  let current = subscribe;
  let stop: (() => void) | null = null;
  let failure: Error | null = null;
  // The current subscription's generation: a late `onData` of a dropped one is not received.
  let live = 0;

  const start = (from: string | null): void => {
    const segment: SessionEvent[] = [];
    segments.push(segment);
    const generation = ++live;
    stop = current(
      from,
      (event) => {
        if (generation !== live) return;
        segment.push(event);
        events.push(event);
        for (const waiter of [...waiters]) {
          if (waiter.matches(event)) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(event);
          }
        }
        onEvent?.(event);
      },
      (error) => {
        if (generation !== live) return;
        failure = error;
        for (const waiter of waiters.splice(0)) waiter.reject(error);
      },
    );
  };
  start(lastEventId);

  const stream: EventStream = {
    events,
    segments,
    waitFor(matches, what) {
      if (failure) return Promise.reject(failure);
      const seen = events.find(matches);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          const tail = events.slice(-12).map((e) => `${e.seq} ${e.type} ${JSON.stringify(e.data)}`);
          reject(new Error(`timed out waiting for ${what}; last events:\n  ${tail.join('\n  ')}`));
        }, WAIT_MS);
        const waiter = {
          matches,
          resolve: (e: SessionEvent) => {
            clearTimeout(timer);
            resolve(e);
          },
          reject: (error: Error) => {
            clearTimeout(timer);
            reject(error);
          },
        };
        waiters.push(waiter);
      });
    },
    drop() {
      live += 1;
      stop?.();
      stop = null;
      return events.at(-1)?.id ?? lastEventId;
    },
    resume(subscribe) {
      if (stop) stream.drop();
      if (subscribe) current = subscribe;
      failure = null;
      start(events.at(-1)?.id ?? lastEventId);
    },
    close() {
      stream.drop();
    },
  };
  return stream;
}
