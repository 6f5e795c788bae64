import { z } from 'zod';
import { InvalidCursorError } from '../errors';

/**
 * Keyset pagination cursors: the sort key of the last item of a page (a time and an id), as
 * opaque base64url text. The next page starts strictly after it.
 */

/** The sort key of a keyset page's last item. */
export interface KeysetPosition {
  readonly at: string;
  readonly id: string;
}

/** The opaque cursor for `position`. */
export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([position.at, position.id])).toString('base64url');
}

/**
 * What a cursor of ours holds: a time PostgreSQL can compare (years 1 to 9999: a year-0 date is
 * out of its range) and an id of printable characters (text cannot hold a NUL). Anything else
 * was crafted, and is refused here rather than by the database as an internal error.
 */
const cursorSchema = z.tuple([
  z.iso.datetime().refine((at) => {
    const year = new Date(at).getUTCFullYear();
    return year >= 1 && year <= 9999;
  }),
  z.string().regex(/^[\x21-\x7e]{1,200}$/),
]);

/** The position a cursor names; throws {@link InvalidCursorError} when it is not one of ours. */
export function decodeCursor(cursor: string): KeysetPosition {
  let value: unknown = null;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    // Not base64url JSON: refused below like any other foreign cursor.
  }
  const parsed = cursorSchema.safeParse(value);
  if (!parsed.success) throw new InvalidCursorError('cursor', cursor);
  const [at, id] = parsed.data;
  return { at, id };
}

/** One page of a keyset listing: its items, and the cursor of the next page (null: the last). */
export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

/** Cuts the `limit + 1` rows a page query fetched into a page and the next cursor. */
export function toPage<T>(rows: T[], limit: number, keyOf: (item: T) => KeysetPosition): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null,
  };
}
