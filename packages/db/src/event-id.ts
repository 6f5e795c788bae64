/**
 * The public id of an event: its writing transaction and its row id, each as 20 digits, so
 * that ids sort as text in the order the global stream delivers them: `00…0754-00…0012`.
 */

const DIGITS = 20;
const PATTERN = /^(\d{20})-(\d{20})$/;
/** The largest transaction id (`xid8` is an unsigned 64-bit integer). */
const MAX_XID8 = 2n ** 64n - 1n;

/** An event's position in the global stream. */
export interface EventPosition {
  /** The writing transaction's id (`xid8`), as decimal text. */
  readonly tx: string;
  readonly id: number;
}

/** The public id of the event at `position`. */
export function encodeEventId(position: EventPosition): string {
  return `${position.tx.padStart(DIGITS, '0')}-${String(position.id).padStart(DIGITS, '0')}`;
}

/** The position an event id names, or null when it is not an event id. */
export function decodeEventId(eventId: string): EventPosition | null {
  const match = PATTERN.exec(eventId);
  if (!match) return null;
  const id = Number(match[2]);
  const tx = BigInt(match[1] as string);
  if (!Number.isSafeInteger(id) || tx > MAX_XID8) return null;
  return { tx: tx.toString(), id };
}
