import type { SQL } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Db } from '../client';
import { statementsOf } from '../statements';

const dialect = new PgDialect();

/** A drizzle query builder (an insert, an update), which knows its SQL. */
interface Built {
  toSQL(): { sql: string; params: unknown[] };
  getSQL(): SQL;
}

/**
 * Sends a statement built with drizzle now, through the statement runner, rather than when it is
 * awaited: drizzle starts a query only some microtasks after it is awaited, so a write of a
 * transition could otherwise leave after the COMMIT sent behind the transition's writes (and run
 * outside the transaction). Everything a transition writes goes out before `send` returns.
 */
export function sendNow(tx: Db, query: Built): Promise<unknown[]> {
  const { sql: text, params } = query.toSQL();
  return statementsOf(tx)(text, params);
}

/**
 * Sends a compare-and-set `update` (one with `RETURNING`) that must write its row: when it writes
 * none — the row moved since it was read — the statement itself fails with a StaleWriteError
 * (`baton_expect_written`, migration 0002; the statement runner turns its SQLSTATE into one), and
 * so does the transaction, even when its COMMIT was already sent behind it.
 */
export async function writeOrFail(
  tx: Db,
  update: Built,
  record: string,
  id: string,
): Promise<void> {
  const { sql: text, params } = dialect.sqlToQuery(
    sql`WITH written AS (${update.getSQL()}) SELECT baton_expect_written((SELECT count(*) FROM written), ${record}::text, ${id}::text)`,
  );
  await statementsOf(tx)(text, params);
}
