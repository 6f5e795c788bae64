import type { Message } from '@baton/domain';
import type { Db } from '../client';
import { statementsOf } from '../statements';
import type { MessageColumns } from './messages';
import { MESSAGE_COLUMNS, messageOf } from './messages';

/** A session history's messages appended after an ordinal. */
const SESSION_MESSAGES_AFTER = `SELECT ${MESSAGE_COLUMNS} FROM messages
  WHERE session_id = $1::text AND subtask_id IS NULL AND ordinal > $2::bigint ORDER BY ordinal`;

/** A subtask's own messages appended after an ordinal. */
const SUBTASK_MESSAGES_AFTER = `SELECT ${MESSAGE_COLUMNS} FROM messages
  WHERE session_id = $1::text AND subtask_id = $3::text AND ordinal > $2::bigint
  ORDER BY ordinal`;

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
  /** What it holds: contexts, and their messages' size as JSON text. */
  usage(): { contexts: number; chars: number };
}

interface Cached {
  readonly messages: readonly Message[];
  /** The greatest `ordinal` among them (0: none). */
  readonly lastOrdinal: number;
  /** Their size as JSON text: what the cache counts against its budget. */
  readonly chars: number;
}

/** How much a process keeps: contexts, and their messages' size as JSON text in all. */
export interface ContextCacheLimits {
  readonly contexts: number;
  readonly chars: number;
}

/** One context per session or subtask running at once is plenty; 32 M characters ≈ 64 MB. */
export const CONTEXT_CACHE_LIMITS: ContextCacheLimits = { contexts: 256, chars: 32 * 1024 * 1024 };

const sizeOf = (message: Message): number => JSON.stringify(message.body).length;

/** An empty cache that keeps the contexts used last, within `limits`. */
export function createContextCache(limits = CONTEXT_CACHE_LIMITS): ContextCache {
  const cache = new Map<string, Cached>();
  let chars = 0;
  const keyOf = (context: ContextKey) => `${context.sessionId}/${context.subtaskId ?? ''}`;
  const forget = (key: string): void => {
    chars -= cache.get(key)?.chars ?? 0;
    cache.delete(key);
  };
  return {
    usage: () => ({ contexts: cache.size, chars }),
    async read(db, context) {
      const key = keyOf(context);
      const known = cache.get(key) ?? { messages: [], lastOrdinal: 0, chars: 0 };
      const rows = await statementsOf(db)<MessageColumns>(
        context.subtaskId === null ? SESSION_MESSAGES_AFTER : SUBTASK_MESSAGES_AFTER,
        context.subtaskId === null
          ? [context.sessionId, known.lastOrdinal]
          : [context.sessionId, known.lastOrdinal, context.subtaskId],
      );
      const added = rows.map(messageOf);
      const read: Cached =
        rows.length === 0
          ? known
          : {
              messages: [...known.messages, ...added],
              lastOrdinal: rows[rows.length - 1]?.ordinal ?? known.lastOrdinal,
              chars: added.reduce((sum, message) => sum + sizeOf(message), known.chars),
            };
      return {
        messages: read.messages,
        remember() {
          const now = cache.get(key);
          if (now && now.lastOrdinal > read.lastOrdinal) return;
          forget(key);
          if (read.chars > limits.chars) return; // larger than the whole budget: not kept
          cache.set(key, read);
          chars += read.chars;
          // Least recently remembered first (a Map iterates in insertion order).
          for (const oldest of cache.keys()) {
            if (cache.size <= limits.contexts && chars <= limits.chars) break;
            forget(oldest);
          }
        },
      };
    },
  };
}
