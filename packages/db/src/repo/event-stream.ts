import type { SessionEvent } from '@baton/domain';
import type { Database } from '../client';
import type { EventPage } from './events';
import { readAllEvents, readSessionEvents, subscribeEvents } from './events';

/** Which events {@link followEvents} yields, from where, and until when. */
export interface FollowOptions {
  /** One session's events (`seq` order); absent: every session's (the global order). */
  readonly sessionId?: string;
  /** Start after this event id (a client's `lastEventId`); absent: from the first event. */
  readonly afterId?: string | null;
  /** Stops following (the generator returns) when aborted. */
  readonly signal?: AbortSignal;
  /** Events read per query (default 500). */
  readonly batchSize?: number;
  /**
   * How soon to read again when committed events wait behind a transaction still running
   * (global stream only; default 50 ms). A transaction that writes events wakes readers when it
   * commits, but one that writes none, or rolls back, does not.
   */
  readonly heldBackRetryMs?: number;
}

/**
 * Every event after `afterId` and then each new one as it commits, in order, exactly once: it
 * subscribes before it reads the backlog, so nothing committed in between is missed, and reads
 * by cursor, so nothing is seen twice. Wakes on NOTIFY from any process sharing the database.
 */
export async function* followEvents(
  database: Database,
  options: FollowOptions = {},
): AsyncGenerator<SessionEvent, void, undefined> {
  const { sessionId, signal } = options;
  const batchSize = options.batchSize ?? 500;
  // Set by every wake; cleared before each read, so a wake during a read means "read again".
  let dirty: boolean;
  let wake: (() => void) | null = null;
  const unsubscribe = await subscribeEvents(database, (woken) => {
    if (sessionId !== undefined && woken !== null && woken !== sessionId) return;
    dirty = true;
    wake?.();
  });
  const onAbort = (): void => wake?.();
  signal?.addEventListener('abort', onAbort);
  try {
    let cursor = options.afterId ?? null;
    while (!signal?.aborted) {
      dirty = false;
      const page: EventPage =
        sessionId !== undefined
          ? {
              events: await readSessionEvents(database.db, {
                sessionId,
                afterId: cursor,
                limit: batchSize,
              }),
              heldBack: false,
            }
          : await readAllEvents(database.db, { afterId: cursor, limit: batchSize });
      for (const event of page.events) {
        if (signal?.aborted) return;
        yield event;
        cursor = event.id;
      }
      if (dirty || page.events.length === batchSize || signal?.aborted) continue;
      await new Promise<void>((resolve) => {
        const timer = page.heldBack
          ? setTimeout(resolve, options.heldBackRetryMs ?? 50)
          : undefined;
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await unsubscribe();
  }
}
