import type { Message } from '@baton/domain';
import { and, asc, gt } from 'drizzle-orm';
import type { Db } from '../client';
import { messages } from '../schema';
import { inContext, toMessage } from './messages';

/** One context: a session's history (`subtaskId` null) or one subtask's own messages. */
export interface ContextKey {
  readonly sessionId: string;
  readonly subtaskId: string | null;
}

/** What {@link ContextCache.read} read. */
export interface ContextRead {
  /** Every message of the context, in the order appended. */
  readonly messages: readonly Message[];
  /** Keeps the messages for the next read; call only once the reading transaction committed. */
  remember(): void;
}

/**
 * The messages of the contexts this process gave its model steps lately, so that the next step
 * of a context reads only the messages appended since (one or two) rather than all of them: a
 * context grows with every tool result, and reading it whole made every step dearer than the
 * last.
 *
 * It is only a shortcut, and cannot go stale: messages are never rewritten, and a context's are
 * appended only under its session's lock, so their `ordinal` grows in commit order and "the
 * cached messages, then those with a greater ordinal" is always the whole context — whichever
 * process appended them. A read remembers nothing until its transaction committed (it may have
 * read its own writes); an older read never replaces a newer one.
 */
export interface ContextCache {
  /** Reads a context with `db` (inside the caller's transaction, holding the session lock). */
  read(db: Db, context: ContextKey): Promise<ContextRead>;
}

interface Cached {
  readonly messages: readonly Message[];
  /** The greatest `ordinal` among them (0: none). */
  readonly lastOrdinal: number;
}

/** How many contexts a process keeps: one per session or subtask running at once is plenty. */
export const CONTEXT_CACHE_SIZE = 256;

/** An empty cache that keeps the `size` contexts used last. */
export function createContextCache(size = CONTEXT_CACHE_SIZE): ContextCache {
  const cache = new Map<string, Cached>();
  const keyOf = (context: ContextKey) => `${context.sessionId}/${context.subtaskId ?? ''}`;
  return {
    async read(db, context) {
      const key = keyOf(context);
      const known = cache.get(key) ?? { messages: [], lastOrdinal: 0 };
      const rows = await db
        .select()
        .from(messages)
        .where(and(inContext(context), gt(messages.ordinal, known.lastOrdinal)))
        .orderBy(asc(messages.ordinal));
      const read: Cached =
        rows.length === 0
          ? known
          : {
              messages: [...known.messages, ...rows.map(toMessage)],
              lastOrdinal: rows[rows.length - 1]?.ordinal ?? known.lastOrdinal,
            };
      return {
        messages: read.messages,
        remember() {
          const now = cache.get(key);
          if (now && now.lastOrdinal > read.lastOrdinal) return;
          cache.delete(key);
          cache.set(key, read);
          if (cache.size > size) cache.delete(cache.keys().next().value as string);
        },
      };
    },
  };
}
