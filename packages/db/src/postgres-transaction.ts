import type postgres from 'postgres';

/**
 * postgres.js with every statement prepared (once per connection, by its text), which drizzle
 * asks for only of statements it names. An unprepared statement with parameters is sent by
 * postgres.js in two round trips — Parse/Describe, wait, then Bind/Execute — and stops the
 * pipeline behind it, so a transaction of ten statements took twenty round trips; a prepared
 * one is a single Bind/Execute, pipelined. `?prepare=false` in the URL still turns preparing
 * off (for a pooler in transaction mode, which cannot keep named statements).
 */
export function preparing<S extends postgres.Sql>(sql: S, unsafe?: S['unsafe']): S {
  const prepared: S['unsafe'] = (query, parameters, options) =>
    (unsafe ?? sql.unsafe.bind(sql))(query, parameters, { ...options, prepare: true });
  return new Proxy(sql, {
    get: (target, key, receiver) =>
      key === 'unsafe' ? prepared : Reflect.get(target, key, receiver),
  });
}

/** A COMMIT that PostgreSQL answered with ROLLBACK: a statement of the transaction had failed. */
export class TransactionRolledBackError extends Error {
  override readonly name = 'TransactionRolledBackError';
  constructor() {
    super('The transaction was rolled back at COMMIT: one of its statements had failed.');
  }
}

/**
 * Whether `error` means the connection itself is gone — closed, reset, timed out, or ended by
 * the server (a FATAL error: the backend was terminated or the server is shutting down) — as
 * opposed to a statement the server refused or postgres.js could not build, after which the
 * connection is still usable and must be rolled back and given back.
 */
function isConnectionLoss(error: unknown): boolean {
  const { code, severity } = (error ?? {}) as { code?: unknown; severity?: unknown };
  if (severity === 'FATAL' || severity === 'PANIC') return true;
  return (
    typeof code === 'string' &&
    (code.startsWith('CONNECTION_') || code === 'CONNECT_TIMEOUT' || /^E[A-Z]+$/.test(code))
  );
}

/**
 * Runs `fn` in one transaction on a connection of `pool` kept for it, and commits when `fn`
 * resolves or rolls back when it throws. Unlike postgres.js's `begin`, BEGIN is not a round trip
 * of its own: it is sent together with the transaction's first statement. `fn` gets the
 * connection with every statement {@link preparing prepared}.
 *
 * A lost connection (PostgreSQL restarted, the backend killed) fails the transaction with the
 * driver's error, fails any statement `fn` sends after it at once, and is not handed back to the
 * pool (postgres.js would hand out the dead connection and crash the process on its next write);
 * the pool opens a new one when it needs it.
 */
export async function pipelinedTransaction<T>(
  pool: postgres.Sql,
  fn: (sql: postgres.Sql) => Promise<T>,
): Promise<T> {
  const reserved = await pool.reserve();
  let lost: Error | null = null;
  const noteLoss = (error: unknown): void => {
    if (lost === null && isConnectionLoss(error)) lost = error as Error;
  };
  const watched = (<R extends postgres.Row[]>(
    query: string,
    parameters?: postgres.ParameterOrJSON<never>[],
    options?: postgres.UnsafeQueryOptions,
  ) => {
    if (lost !== null) throw lost;
    const pending = reserved.unsafe<R>(query, parameters, options);
    // Attaching a handler starts the query now, as awaiting it would; postgres.js sends it a
    // microtask later, so the caller can still ask for `.values()` on it.
    pending.catch(noteLoss);
    return pending;
  }) as postgres.Sql['unsafe'];
  try {
    const begun = watched('begin').execute();
    let result: T;
    try {
      [, result] = await Promise.all([begun, fn(preparing(reserved, watched))]);
    } catch (error) {
      if (lost === null) await reserved.unsafe('rollback').catch(noteLoss);
      throw error;
    }
    const committed = await watched('commit');
    if (committed.command !== 'COMMIT') throw new TransactionRolledBackError();
    return result;
  } finally {
    if (lost === null) reserved.release();
  }
}
