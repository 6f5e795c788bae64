import type { Db } from './client';

/**
 * Runs one statement of fixed text with positional parameters (`$1`, `$2`, …) and answers its
 * rows as objects keyed by column name. On PostgreSQL it is prepared once per connection and
 * pipelined behind whatever the connection is already sending; on PGlite it is a plain query.
 *
 * The hot path of a tool round trip (lock, load, commit) runs through this rather than drizzle's
 * query builder: a builder rebuilds and re-checks every statement on every call (a quarter of
 * the runtime's CPU under load), while these texts are constants. Parameters are passed as text
 * or numbers and cast in the SQL (`$1::text::jsonb`), and times come back as milliseconds
 * (see {@link msColumn}), so both drivers read and write exactly the same values.
 */
export type Statements = <Row>(text: string, parameters: readonly unknown[]) => Promise<Row[]>;

const byHandle = new WeakMap<Db, Statements>();

/** Makes `statements` the runner of `db` (the database's handle or one of its transactions). */
export function withStatements<D extends Db>(db: D, statements: Statements): D {
  byHandle.set(db, statements);
  return db;
}

/**
 * The statement runner of `db`: the same connection, and inside a transaction the same
 * transaction. Every handle {@link openDatabase} gives out, and each of its transactions, has one.
 */
export function statementsOf(db: Db): Statements {
  const statements = byHandle.get(db);
  if (!statements) throw new Error('this drizzle handle was not opened by openDatabase');
  return statements;
}

/** A `timestamptz` column read as milliseconds since the epoch (a float8: exact to 2^53). */
export function msColumn(column: string, as = column): string {
  return `floor(extract(epoch from ${column}) * 1000)::float8 AS ${as}`;
}

/** The domain's ISO-8601 text of a time read with {@link msColumn}. */
export function isoOfMs(ms: number): string {
  return new Date(ms).toISOString();
}

/** The domain's ISO-8601 text of a nullable time read with {@link msColumn}. */
export function isoOfMsOrNull(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/**
 * A JSON value as the text a `$n::text::jsonb` parameter takes; `null` and `undefined` are SQL
 * NULL (as drizzle writes a null `jsonb` column).
 */
export function jsonParameter(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}
