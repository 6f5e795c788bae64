import type { SessionEvent } from '@baton/domain';
import type { Database } from '../client';
import { readAllEvents, readSessionEvents, seqOfEventId, subscribeEvents } from './events';

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
export function followEvents(
  database: Database,
  options: FollowOptions = {},
): AsyncGenerator<SessionEvent, void, undefined> {
  return options.sessionId !== undefined
    ? followSession(database, options.sessionId, options)
    : followAll(database, options);
}

/** Resolves at the next `wake()` (or at once if one came since the last wait), or on abort. */
function waker(signal: AbortSignal | undefined) {
  let pending = false;
  let resolve: (() => void) | null = null;
  const wake = (): void => {
    pending = true;
    resolve?.();
  };
  signal?.addEventListener('abort', wake);
  return {
    wake,
    async wait(timeoutMs?: number): Promise<void> {
      if (!pending && !signal?.aborted) {
        await new Promise<void>((done) => {
          const timer = timeoutMs === undefined ? undefined : setTimeout(done, timeoutMs);
          resolve = () => {
            clearTimeout(timer);
            done();
          };
        });
        resolve = null;
      }
      pending = false;
    },
    stop: () => signal?.removeEventListener('abort', wake),
  };
}

/**
 * One session's events. The cursor is the `seq` of the last event yielded (`seq` is gap-free per
 * session). Events this process commits arrive through `database.localEvents` and are yielded
 * from there when they continue the cursor. A notification of a `seq` beyond any seen makes it
 * read the database — at once when it comes from another process, after the settle when this
 * process has a commit on the session under way (it is most likely that commit's own). A gap,
 * a follower fallen behind, or a lost listening connection makes it read too.
 */
async function* followSession(
  database: Database,
  sessionId: string,
  options: FollowOptions,
): AsyncGenerator<SessionEvent, void, undefined> {
  const { signal, batchSize = 500 } = options;
  const { localEvents } = database;
  const wakeUp = waker(signal);
  let cursor = 0;
  /** Committed here, not yet yielded; at most `batchSize` (beyond that, read them instead). */
  let handed: SessionEvent[] = [];
  let mustRead = true;
  /** The highest `seq` announced while a local commit was under way. */
  let announced = 0;
  const newest = (): number => Math.max(cursor, handed.at(-1)?.seq ?? 0);

  const stopLocal = localEvents.subscribe(sessionId, (committed) => {
    if (handed.length + committed.length > batchSize) {
      handed = [];
      mustRead = true;
    } else handed.push(...committed);
    if (announced > newest() && !localEvents.committing(sessionId)) mustRead = true;
    wakeUp.wake();
  });
  const unsubscribe = await subscribeEvents(database, (committed) => {
    if (committed === null) mustRead = true;
    else if (committed.sessionId !== sessionId || committed.lastSeq <= newest()) return;
    else if (localEvents.committing(sessionId)) announced = Math.max(announced, committed.lastSeq);
    else mustRead = true;
    wakeUp.wake();
  });
  try {
    if (options.afterId) cursor = await seqOfEventId(database.db, sessionId, options.afterId);
    while (!signal?.aborted) {
      handed = handed.filter((event) => event.seq > cursor);
      if (handed[0]?.seq === cursor + 1) {
        const batch = handed;
        handed = [];
        for (const event of batch) {
          if (signal?.aborted) return;
          if (event.seq !== cursor + 1) {
            // Not contiguous within what was handed over: read the rest.
            mustRead = true;
            break;
          }
          yield event;
          cursor = event.seq;
        }
        continue;
      }
      if (handed.length > 0) mustRead = true; // a gap before what was handed over
      if (mustRead) {
        mustRead = false;
        const page = await readSessionEvents(database.db, {
          sessionId,
          afterSeq: cursor,
          limit: batchSize,
        });
        for (const event of page) {
          if (signal?.aborted) return;
          yield event;
          cursor = event.seq;
        }
        if (page.length === batchSize) mustRead = true;
        continue;
      }
      await wakeUp.wait();
    }
  } finally {
    wakeUp.stop();
    stopLocal();
    await unsubscribe();
  }
}

/**
 * Every session's events, in the global (transaction, id) order; see `readAllEvents` for why
 * that order has no gaps for a reader that resumes from the last id it saw.
 */
async function* followAll(
  database: Database,
  options: FollowOptions,
): AsyncGenerator<SessionEvent, void, undefined> {
  const { signal } = options;
  const batchSize = options.batchSize ?? 500;
  const wakeUp = waker(signal);
  const unsubscribe = await subscribeEvents(database, () => wakeUp.wake());
  try {
    let cursor = options.afterId ?? null;
    while (!signal?.aborted) {
      const page = await readAllEvents(database.db, { afterId: cursor, limit: batchSize });
      for (const event of page.events) {
        if (signal?.aborted) return;
        yield event;
        cursor = event.id;
      }
      if (page.events.length === batchSize) continue;
      await wakeUp.wait(page.heldBack ? (options.heldBackRetryMs ?? 50) : undefined);
    }
  } finally {
    wakeUp.stop();
    await unsubscribe();
  }
}
