import { customType, timestamp } from 'drizzle-orm/pg-core';

/** A `timestamptz` column read and written as a `Date` (the repositories turn it into ISO text). */
export function timestamptz(name: string) {
  return timestamp(name, { withTimezone: true, mode: 'date' });
}

/**
 * A PostgreSQL `xid8` (a 64-bit transaction id that never wraps), kept as decimal text: it can
 * pass 2^53, so it is never a JS number.
 */
export const xid8 = customType<{ data: string; driverData: string }>({
  dataType: () => 'xid8',
  fromDriver: (value) => String(value),
});
