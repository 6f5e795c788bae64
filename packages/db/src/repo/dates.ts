/** Conversions between the domain's ISO-8601 text and the `Date`s drizzle reads and writes. */

/** A stored time as the domain writes it. */
export function iso(date: Date): string {
  return date.toISOString();
}

/** A stored time or null, as the domain writes it. */
export function isoOrNull(date: Date | null): string | null {
  return date === null ? null : date.toISOString();
}

/** A domain time for a column. */
export function toDate(text: string): Date {
  return new Date(text);
}

/** A domain time or null for a column. */
export function toDateOrNull(text: string | null): Date | null {
  return text === null ? null : new Date(text);
}
