import type { SessionEvent } from '@baton/domain';

/**
 * Hands the events this process commits to this process's followers of the session, so that
 * they need not read back what was just written here. A writer calls {@link LocalEvents.begin}
 * before its transaction and settles it after: with the events it committed, or with none. While
 * a session has a commit of this process under way, a follower that hears of a new `seq` (the
 * notification of that very commit, most likely) waits for the settle instead of reading.
 *
 * It is only a shortcut: a follower takes from it just the events that continue what it has
 * delivered, and reads the database for anything else (another process's commits, a gap, a
 * follower that fell behind).
 */
export interface LocalEvents {
  /**
   * Marks a commit on the session as under way. Call the returned function exactly once, after
   * the transaction ended: with its events (all of this session, in `seq` order) if it
   * committed, with `[]` if it did not.
   */
  begin(sessionId: string): (committed: readonly SessionEvent[]) => void;
  /** Whether a commit of this process on the session is under way. */
  committing(sessionId: string): boolean;
  /** Calls `listener` at each settle of a commit on the session; returns the unsubscribe. */
  subscribe(sessionId: string, listener: (committed: readonly SessionEvent[]) => void): () => void;
}

/** An empty hub. */
export function createLocalEvents(): LocalEvents {
  const listeners = new Map<string, Set<(committed: readonly SessionEvent[]) => void>>();
  const underWay = new Map<string, number>();
  return {
    begin(sessionId) {
      underWay.set(sessionId, (underWay.get(sessionId) ?? 0) + 1);
      let settled = false;
      return (committed) => {
        if (settled) return;
        settled = true;
        const left = (underWay.get(sessionId) ?? 1) - 1;
        if (left === 0) underWay.delete(sessionId);
        else underWay.set(sessionId, left);
        for (const listener of listeners.get(sessionId) ?? []) listener(committed);
      };
    },
    committing: (sessionId) => underWay.has(sessionId),
    subscribe(sessionId, listener) {
      let session = listeners.get(sessionId);
      if (!session) listeners.set(sessionId, (session = new Set()));
      session.add(listener);
      return () => {
        session.delete(listener);
        if (session.size === 0 && listeners.get(sessionId) === session) listeners.delete(sessionId);
      };
    },
  };
}

/**
 * Runs `commit` (one transaction on the session) between {@link LocalEvents.begin} and its
 * settle, handing over the events `eventsOf` finds in its result.
 */
export async function committingLocally<T>(
  localEvents: LocalEvents,
  sessionId: string,
  commit: () => Promise<T>,
  eventsOf: (result: T) => readonly SessionEvent[],
): Promise<T> {
  const settle = localEvents.begin(sessionId);
  let committed: readonly SessionEvent[] = [];
  try {
    const result = await commit();
    committed = eventsOf(result);
    return result;
  } finally {
    settle(committed);
  }
}
