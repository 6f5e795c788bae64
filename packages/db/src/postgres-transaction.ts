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
 * A transaction whose COMMIT was sent behind its statements, whose callback then failed, but
 * which PostgreSQL committed: its writes are in the database although the caller saw an error.
 */
export class CommittedDespiteFailureError extends Error {
  override readonly name = 'CommittedDespiteFailureError';
  constructor(cause: unknown) {
    super('The transaction committed, but its callback failed after sending COMMIT.', { cause });
  }
}

/**
 * Sends COMMIT now, behind the statements the transaction has sent (see
 * {@link pipelinedTransaction}); a second call does nothing.
 */
export type CommitNow = () => void;

/**
 * Runs `fn` in one transaction on a connection of `pool` kept for it, and commits when `fn`
 * resolves or rolls back when it throws. Unlike postgres.js's `begin`, BEGIN is not a round trip
 * of its own: it is sent together with the transaction's first statement. `fn` gets the
 * connection with every statement {@link preparing prepared}.
 *
 * COMMIT need not be a round trip of its own either: `fn` may call `commit` once it has sent its
 * last statement, and then await their answers; COMMIT goes out in the same write. PostgreSQL
 * then answers it with ROLLBACK if any statement failed (a compare-and-set that must fail does
 * so in SQL for this reason), and the transaction fails. From that call on, `fn` throwing does
 * not roll back what succeeded: the transaction fails with {@link CommittedDespiteFailureError}.
 *
 * A lost connection (PostgreSQL restarted, the backend killed) fails the transaction with the
 * driver's error, fails any statement `fn` sends after it at once, and is not handed back to the
 * pool (postgres.js would hand out the dead connection and crash the process on its next write);
 * the pool opens a new one when it needs it.
 */
export async function pipelinedTransaction<T>(
  pool: postgres.Sql,
  fn: (sql: postgres.Sql, commit: CommitNow) => Promise<T>,
): Promise<T> {
  try {
    return await transactionOnce(pool, fn);
  } catch (error) {
    // A connection that died idle in the pool (its backend killed, the server restarted) fails
    // the reservation or BEGIN, before anything of the transaction ran: it is tried once more.
    if (!(error instanceof BeginFailedError)) throw error;
    return transactionOnce(pool, fn).catch((again: unknown) => {
      throw again instanceof BeginFailedError ? again.cause : again;
    });
  }
}

/** The reservation or BEGIN failed because the connection was lost: nothing of it ran. */
class BeginFailedError extends Error {
  override readonly name = 'BeginFailedError';
  constructor(cause: unknown) {
    super('BEGIN failed: the connection was lost', { cause });
  }
}

async function transactionOnce<T>(
  pool: postgres.Sql,
  fn: (sql: postgres.Sql, commit: CommitNow) => Promise<T>,
): Promise<T> {
  // postgres.js may hand a reservation the loss of the connection it was queued on.
  const reserved = await pool.reserve().catch((error: unknown) => {
    throw isConnectionLoss(error) ? new BeginFailedError(error) : error;
  });
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
  let commitSent: Promise<string> | null = null;
  const commit: CommitNow = () => {
    if (commitSent !== null || lost !== null) return;
    commitSent = watched('commit').then((answer) => answer.command);
    commitSent.catch(() => undefined);
  };
  try {
    let beginFailed: unknown = null;
    const begun = watched('begin')
      .execute()
      .catch((error: unknown) => {
        if (isConnectionLoss(error)) beginFailed = error;
        throw error;
      });
    let result: T;
    try {
      [, result] = await Promise.all([begun, fn(preparing(reserved, watched), commit)]);
    } catch (error) {
      if (beginFailed !== null) throw new BeginFailedError(beginFailed);
      if (commitSent !== null) {
        // The COMMIT's answer says what happened; with no answer (the connection went), nobody
        // knows, and its error, not the callback's, is what the caller must see.
        if ((await (commitSent as Promise<string>)) === 'COMMIT') {
          throw new CommittedDespiteFailureError(error);
        }
        throw error;
      }
      if (lost === null) await reserved.unsafe('rollback').catch(noteLoss);
      throw error;
    }
    commit();
    if ((await (commitSent as Promise<string> | null)) !== 'COMMIT') {
      throw lost ?? new TransactionRolledBackError();
    }
    return result;
  } finally {
    if (lost === null) reserved.release();
  }
}
