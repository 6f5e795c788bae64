import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { createTableRelationsHelpers, extractTablesRelationalConfig } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { PgDialect } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite, PgliteSession, PgliteTransaction } from 'drizzle-orm/pglite';
import {
  drizzle as drizzlePostgres,
  PostgresJsSession,
  PostgresJsTransaction,
} from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { corkedSocket, namesOneHost } from './corked-socket';
import { staleWriteOr } from './errors';
import type { LocalEvents } from './local-events';
import type { CommitNow } from './postgres-transaction';
import { pipelinedTransaction, preparing } from './postgres-transaction';
import type { Staged } from './group-commit';
import { createGroupCommit } from './group-commit';
import { createLocalEvents } from './local-events';
import * as schema from './schema';
import type { Statements } from './statements';
import { withStatements } from './statements';

/** Baton's drizzle schema, every table. */
export type Schema = typeof schema;

type Relations = ExtractTablesWithRelations<Schema>;

/**
 * A drizzle handle on Baton's database — the database itself or an open transaction (a
 * transaction is a `PgDatabase` too). Every repository takes one, so the same code runs on
 * PGlite and PostgreSQL, inside or outside a transaction.
 */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

/** Which engine holds the data: embedded PGlite or a PostgreSQL server. */
export type DatabaseKind = 'pglite' | 'postgres';

/** Stops a `listen`. */
export type Unlisten = () => Promise<void>;

/** An open database: the drizzle handle, transactions, LISTEN/NOTIFY, and closing. */
export interface Database {
  readonly kind: DatabaseKind;
  readonly db: Db;
  /** Queries run through `db` since it was opened (transaction control not included). */
  queryCount(): number;
  /** Transactions committed through {@link Database.transaction} since it was opened. */
  transactionCount(): number;
  /**
   * Writes to PostgreSQL's sockets since it was opened, each one system call carrying one or
   * more statements: about the round trips to the server (0 on PGlite, which runs in process).
   */
  writeCount(): number;
  /** This process's committed events, for its own followers (see {@link LocalEvents}). */
  readonly localEvents: LocalEvents;
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. `fn`
   * may call `commit` once it has sent its last statement, so that COMMIT goes out with them
   * (PostgreSQL; see {@link pipelinedTransaction}); then await their answers.
   */
  transaction<T>(fn: (tx: Db, commit: CommitNow) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` in a transaction that it may share with others started in the same tick under
   * other keys (group commit: one COMMIT for many sessions' inputs). `fn` reads, then sends its
   * writes and resolves with their answer still pending ({@link Staged}); COMMIT goes out behind
   * every member's writes. `fn` may run twice: when a member fails, the shared transaction rolls
   * back and each runs again alone. Take the lock named by `key` first (see
   * {@link createGroupCommit}).
   */
  groupTransaction<T>(key: string, fn: (tx: Db) => Promise<Staged<T>>): Promise<T>;
  /**
   * Calls `onPayload` with the payload of each NOTIFY on `channel`, from every process that
   * shares the database (PGlite: this process). Resolves once listening, so a caller can
   * subscribe first and then read what was committed before. `onReconnect` is called when a
   * dropped listening connection is back, since notifications sent meanwhile were lost.
   */
  listen(
    channel: string,
    onPayload: (payload: string) => void,
    onReconnect?: () => void,
  ): Promise<Unlisten>;
  close(): Promise<void>;
}

/** A drizzle logger that only counts the queries it is shown. */
function queryCounter(): { logQuery: () => void; count: () => number } {
  let queries = 0;
  return {
    logQuery: () => {
      queries += 1;
    },
    count: () => queries,
  };
}

/** Counts the transactions that committed through the function it wraps. */
function commitCounter() {
  let committed = 0;
  return {
    count: () => committed,
    counting:
      (transaction: Database['transaction']): Database['transaction'] =>
      async (fn) => {
        const result = await transaction(fn);
        committed += 1;
        return result;
      },
  };
}

/** Where the data lives: a PostgreSQL URL, else a PGlite folder (`memory://` for none). */
export interface DatabaseLocation {
  /** `postgres://…`: use that server. */
  readonly url?: string;
  /** PGlite's data folder (default `./.baton/data`); `memory://` keeps it in memory. */
  readonly dataDir?: string;
}

/** PGlite's data folder when neither a URL nor a folder is given. */
export const DEFAULT_DATA_DIR = './.baton/data';

/**
 * Opens Baton's database: PostgreSQL through postgres.js when `url` is given, otherwise PGlite
 * with its data in `dataDir`. Does not migrate; call {@link migrate} once opened.
 */
export async function openDatabase(location: DatabaseLocation = {}): Promise<Database> {
  return location.url
    ? openPostgres(location.url)
    : openPglite(location.dataDir ?? DEFAULT_DATA_DIR);
}

/**
 * Runs transactions with {@link pipelinedTransaction} and gives the callback a drizzle
 * transaction over its connection (what drizzle's own `transaction` builds over postgres.js's
 * `begin`).
 */
function transactionsOn(pool: postgres.Sql, logger: { logQuery: () => void }) {
  const dialect = new PgDialect();
  const relational = relationalSchema();
  return <T>(fn: (tx: Db, commit: CommitNow) => Promise<T>): Promise<T> =>
    pipelinedTransaction(pool, (sql, commit) => {
      // drizzle types a transaction's session as over a `TransactionSql`; ours is a reserved
      // connection with BEGIN/COMMIT sent by pipelinedTransaction (nested transactions, which
      // would need `savepoint`, are not used).
      const connection = sql as postgres.TransactionSql & postgres.Sql;
      const session = new PostgresJsSession<typeof connection, Schema, Relations>(
        connection,
        dialect,
        relational,
        { logger },
      );
      const tx = new PostgresJsTransaction<Schema, Relations>(dialect, session, relational);
      return fn(withStatements(tx, postgresStatements(connection, logger)), commit);
    });
}

/** What drizzle's transactions need to know of the schema (what its `drizzle()` builds). */
function relationalSchema() {
  const tables = extractTablesRelationalConfig<Relations>(schema, createTableRelationsHelpers);
  return { fullSchema: schema, schema: tables.tables, tableNamesMap: tables.tableNamesMap };
}

/**
 * Statements on a postgres.js client or connection (which {@link preparing} prepares). Each is
 * started at once, so statements go out in the order they are called.
 */
function postgresStatements(sql: postgres.Sql, logger: { logQuery: () => void }): Statements {
  return <Row>(text: string, parameters: readonly unknown[]) => {
    logger.logQuery();
    return sql.unsafe(text, parameters as postgres.ParameterOrJSON<never>[]).then(
      (rows) => rows as unknown as Row[],
      (error: unknown) => {
        throw staleWriteOr(error);
      },
    );
  };
}

/** Statements on a PGlite instance or transaction. */
function pgliteStatements(
  client: Pick<PGlite, 'query'>,
  logger: { logQuery: () => void },
): Statements {
  return async <Row>(text: string, parameters: readonly unknown[]) => {
    logger.logQuery();
    try {
      return (await client.query<Row>(text, parameters as unknown[])).rows;
    } catch (error) {
      throw staleWriteOr(error);
    }
  };
}

/** How long closing waits for running statements before it drops their connections. */
const CLOSE_TIMEOUT_S = 5;

function openPostgres(url: string): Database {
  const options = { onnotice: () => undefined } as const;
  let writes = 0;
  const client = postgres(url, {
    ...options,
    max: 10,
    ...(namesOneHost(url)
      ? {
          socket: (socketOptions: Parameters<typeof corkedSocket>[0]) =>
            corkedSocket(socketOptions, () => (writes += 1)),
        }
      : {}),
  });
  const counter = queryCounter();
  const commits = commitCounter();
  const prepared = preparing(client);
  const db: Db = withStatements(
    drizzlePostgres({ client: prepared, schema, logger: counter }),
    postgresStatements(prepared, counter),
  );
  const transaction = commits.counting(transactionsOn(client, counter));
  const groups = createGroupCommit(transaction);
  // drizzle reconfigures the client it is given, so LISTEN gets a client of its own.
  let listener: postgres.Sql | null = null;
  return {
    kind: 'postgres',
    db,
    queryCount: counter.count,
    transactionCount: commits.count,
    writeCount: () => writes,
    localEvents: createLocalEvents(),
    transaction,
    groupTransaction: (key, fn) => groups.run(key, fn),
    async listen(channel, onPayload, onReconnect) {
      listener ??= postgres(url, { ...options, max: 1 });
      let listening = false;
      let active = true;
      const request = await listener.listen(
        channel,
        (payload) => active && onPayload(payload),
        () => {
          if (listening && active) onReconnect?.();
          listening = true;
        },
      );
      return async () => {
        // postgres.js re-listens after a reconnect under a new registration that this
        // `unlisten` no longer reaches; the flag silences it.
        active = false;
        await request.unlisten();
      };
    },
    async close() {
      // A connection lost in the middle of a statement never counts as finished to postgres.js;
      // the timeout keeps it from holding the close (and a replica's shutdown) forever.
      await Promise.all([client.end({ timeout: CLOSE_TIMEOUT_S }), listener?.end()]);
    },
  };
}

async function openPglite(dataDir: string): Promise<Database> {
  if (dataDir !== 'memory://') await mkdir(dataDir, { recursive: true });
  return pgliteDatabase(await PGlite.create(dataDir));
}

/**
 * A {@link Database} over a PGlite instance opened elsewhere (for instance from a snapshot made
 * with `dumpDataDir`); closing it closes the instance.
 */
export function pgliteDatabase(client: PGlite): Database {
  const counter = queryCounter();
  const commits = commitCounter();
  const db: Db = withStatements(
    drizzlePglite({ client, schema, logger: counter }),
    pgliteStatements(client, counter),
  );
  const dialect = new PgDialect();
  const relational = relationalSchema();
  // What drizzle's `db.transaction` does, keeping hold of PGlite's transaction for statements.
  // PGlite runs in this process: COMMIT is no round trip to save, and is sent when `fn` resolves.
  const transaction = commits.counting(
    <T>(fn: (tx: Db, commit: CommitNow) => Promise<T>): Promise<T> =>
      client.transaction(async (open) => {
        const session = new PgliteSession<Schema, Relations>(open, dialect, relational, {
          logger: counter,
        });
        const tx = new PgliteTransaction<Schema, Relations>(dialect, session, relational);
        return fn(withStatements(tx, pgliteStatements(open, counter)), () => undefined);
      }),
  );
  const groups = createGroupCommit(transaction);
  return {
    kind: 'pglite',
    db,
    queryCount: counter.count,
    transactionCount: commits.count,
    writeCount: () => 0,
    localEvents: createLocalEvents(),
    transaction,
    groupTransaction: (key, fn) => groups.run(key, fn),
    async listen(channel, onPayload) {
      const unlisten = await client.listen(channel, onPayload);
      return () => unlisten();
    },
    close: () => client.close(),
  };
}
