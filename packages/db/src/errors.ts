/**
 * The database's unexpected outcomes. Expected ones (a refused input, a lost lease, a session
 * that is not there) are return values; these are thrown.
 */

/**
 * A compare-and-set write found the row changed since it was read. Under the session lock this
 * never happens; if it does, something wrote around the lock, and the transaction is rolled back.
 */
export class StaleWriteError extends Error {
  override readonly name = 'StaleWriteError';
  constructor(
    readonly table: string,
    readonly id: string,
  ) {
    super(`${table} ${id} changed after it was read; the transaction was rolled back`);
  }
}

/** A pagination cursor or an event id that this database did not hand out (`BAD_REQUEST`). */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
  constructor(
    readonly field: 'cursor' | 'lastEventId',
    value: string,
  ) {
    super(`${field}: ${JSON.stringify(value)} is not a valid ${field}`);
  }
}

/** The PostgreSQL error under drizzle's wrapping, if `error` is one. */
export function postgresErrorOf(
  error: unknown,
): { code: string; constraint: string | undefined } | null {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const fields = e as Error & { code?: unknown; constraint?: unknown; constraint_name?: unknown };
    if (typeof fields.code === 'string' && /^[0-9A-Z]{5}$/.test(fields.code)) {
      const constraint = fields.constraint_name ?? fields.constraint;
      return {
        code: fields.code,
        constraint: typeof constraint === 'string' ? constraint : undefined,
      };
    }
  }
  return null;
}

/** The SQLSTATE `baton_expect_written` (migration 0002) raises for a stale write. */
export const STALE_WRITE_CODE = 'BT409';

/**
 * The {@link StaleWriteError} a statement failed with when its compare-and-set found the row
 * moved (raised in SQL, so that the transaction fails even with its COMMIT already sent); else
 * `error` itself.
 */
export function staleWriteOr(error: unknown): unknown {
  if (postgresErrorOf(error)?.code !== STALE_WRITE_CODE) return error;
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const detail = (e as Error & { detail?: unknown }).detail;
    if (typeof detail === 'string') {
      const [table = 'row', id = ''] = detail.split(' ');
      return new StaleWriteError(table, id);
    }
  }
  return new StaleWriteError('row', '');
}

/** Whether `error` is a unique violation, of `constraint` when it is given. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const pg = postgresErrorOf(error);
  return pg?.code === '23505' && (constraint === undefined || pg.constraint === constraint);
}
