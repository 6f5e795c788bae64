import { eq, sql } from 'drizzle-orm';
import type { Database } from './client';
import { describe, expect, inject, it } from 'vitest';
import { StaleWriteError } from './errors';
import { CommittedDespiteFailureError, TransactionRolledBackError } from './postgres-transaction';
import { statementsOf } from './statements';
import { rowsOf } from './repo/raw';
import { sessions } from './schema';
import { testBackends, useTestDatabase } from './testing/backends';

const postgresOnly = testBackends(inject('databaseUrl')).filter((b) => b.kind === 'postgres');

/** Whether the backend `pid` is running `pg_sleep` now. */
async function isSleeping(database: Database, pid: number): Promise<boolean> {
  const rows = rowsOf<{ sleeping: boolean }>(
    await database.db.execute(sql`
      SELECT count(*) > 0 AS sleeping FROM pg_stat_activity
       WHERE pid = ${pid}::int AND state = 'active' AND query LIKE '%pg_sleep%'`),
  );
  return rows[0]?.sleeping === true;
}

describe.each(postgresOnly)('the PostgreSQL client', (backend) => {
  const t = useTestDatabase(backend);

  // Unprepared, a statement with parameters costs postgres.js two round trips and stops the
  // pipeline behind it; these pin that Baton's statements are prepared wherever they run.
  const preparedOnThisConnection = (text: string) =>
    sql`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement LIKE ${`%${text}%`}`;

  it('prepares the statements of a transaction on its connection', async () => {
    const n = await t.database.transaction(async (tx) => {
      await tx.select({ id: sessions.id }).from(sessions).where(eq(sessions.id, 'session_x'));
      const rows = rowsOf<{ n: number }>(
        await tx.execute(preparedOnThisConnection('from "sessions" where "sessions"."id" = $1')),
      );
      return rows[0]?.n;
    });
    expect(n).toBe(1);
  });

  it('prepares statements outside transactions too', async () => {
    // The statement looks for itself: it is listed while it runs if it was prepared.
    const rows = rowsOf<{ n: number }>(
      await t.database.db.execute(
        sql`SELECT count(*)::int AS n /* outside-marker */ FROM pg_prepared_statements
            WHERE statement LIKE ${'%outside-marker%'}`,
      ),
    );
    expect(rows[0]?.n).toBe(1);
  });

  it('still rolls a transaction back when its callback throws', async () => {
    await expect(
      t.database.transaction(async (tx) => {
        await tx.execute(sql`CREATE TABLE rolled_back_table (x int)`);
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    const rows = rowsOf<{ n: number }>(
      await t.database.db.execute(
        sql`SELECT count(*)::int AS n FROM information_schema.tables
            WHERE table_name = ${'rolled_back_table'}`,
      ),
    );
    expect(rows[0]?.n).toBe(0);
  });

  const count = async (table: string): Promise<number> => {
    const rows = rowsOf<{ n: number }>(
      await t.database.db.execute(
        sql`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = ${table}`,
      ),
    );
    return rows[0]?.n ?? -1;
  };

  it('refuses to commit a transaction whose failed statement the callback swallowed', async () => {
    await expect(
      t.database.transaction(async (tx) => {
        await tx.execute(sql`CREATE TABLE swallowed_table (x int)`);
        await tx.execute(sql`SELECT 1 / ${0}::int`).catch(() => undefined);
        return 'done';
      }),
    ).rejects.toBeInstanceOf(TransactionRolledBackError);
    expect(await count('swallowed_table')).toBe(0);
  });

  it('fails a transaction whose connection is killed, and goes on working without it', async () => {
    const other = await t.connect();
    const failure = await t.database
      .transaction(async (tx) => {
        await tx.execute(sql`CREATE TABLE killed_table (x int)`);
        const [me] = rowsOf<{ pid: number }>(await tx.execute(sql`SELECT pg_backend_pid() AS pid`));
        // Killed while a statement runs, so the driver learns of it from that statement.
        // drizzle sends a statement only once it is awaited or chained: `.catch` starts it now.
        const running = tx.execute(sql`SELECT pg_sleep(${5}::int)`).catch(() => undefined);
        // Only once the server runs it: killed before, the loss would reach the driver between
        // statements, another path than the one under test.
        while (!(await isSleeping(other, me?.pid ?? 0))) await new Promise(setImmediate);
        await other.db.execute(sql`SELECT pg_terminate_backend(${me?.pid ?? 0}::int)`);
        await running;
        // A statement after the loss fails at once; it is never written to the dead connection.
        await tx.execute(sql`SELECT ${2}::int`);
      })
      .then(
        () => null,
        (error: unknown) => error as Error,
      );
    // drizzle wraps the driver's error, which says the connection is gone (how depends on
    // whether the server's goodbye or the reset is read first).
    expect((failure?.cause as { code?: string } | undefined)?.code).toMatch(
      /^(57P01|ECONNRESET|EPIPE|CONNECTION_CLOSED)$/,
    );
    expect(await count('killed_table')).toBe(0);
    // Every connection of the pool is still good: ten transactions at once.
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        t.database.transaction(async (tx) =>
          rowsOf<{ i: number }>(await tx.execute(sql`SELECT ${i}::int AS i`)),
        ),
      ),
    );
    expect(results.map((rows) => rows[0]?.i)).toEqual([...Array(10).keys()]);
  });
});

describe.each(testBackends(inject('databaseUrl')))('counting on $kind', (backend) => {
  const t = useTestDatabase(backend);

  it('counts the transactions that committed, not those rolled back', async () => {
    const before = t.database.transactionCount();
    await t.database.transaction((tx) => tx.execute(sql`SELECT ${1}::int`));
    await expect(
      t.database.transaction(async (tx) => {
        await tx.execute(sql`SELECT ${2}::int`);
        throw new Error('roll back');
      }),
    ).rejects.toThrow();
    expect(t.database.transactionCount() - before).toBe(1);
  });
});

describe.each(testBackends(inject('databaseUrl')))(
  'COMMIT sent with the last statements on $kind',
  (backend) => {
    const t = useTestDatabase(backend);
    const tables = async (name: string): Promise<number> => {
      const rows = rowsOf<{ n: number }>(
        await t.database.db.execute(
          sql`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = ${name}`,
        ),
      );
      return rows[0]?.n ?? -1;
    };

    it('commits what was sent before it', async () => {
      await t.database.transaction(async (tx, commit) => {
        const created = statementsOf(tx)('CREATE TABLE early_kept (x int)', []);
        commit();
        await created;
      });
      expect(await tables('early_kept')).toBe(1);
    });

    it('keeps nothing when a compare-and-set sent before it finds its row moved', async () => {
      const failure = await t.database
        .transaction(async (tx, commit) => {
          const created = statementsOf(tx)('CREATE TABLE early_dropped (x int)', []);
          const stale = statementsOf(tx)(
            `SELECT baton_expect_written(0, 'session', 'session-1') AS written`,
            [],
          );
          commit();
          await Promise.all([created, stale]);
        })
        .then(
          () => null,
          (error: unknown) => error,
        );
      expect(failure).toBeInstanceOf(StaleWriteError);
      expect(failure).toMatchObject({ table: 'session', id: 'session-1' });
      expect(await tables('early_dropped')).toBe(0);
    });
  },
);

describe.each(postgresOnly)('COMMIT sent early on PostgreSQL', (backend) => {
  const t = useTestDatabase(backend);

  it('says so when the callback fails after a COMMIT that went through', async () => {
    const failure = await t.database
      .transaction(async (tx, commit) => {
        const created = statementsOf(tx)('CREATE TABLE committed_anyway (x int)', []);
        commit();
        await created;
        throw new Error('failed after COMMIT');
      })
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(CommittedDespiteFailureError);
    expect((failure as Error).cause).toMatchObject({ message: 'failed after COMMIT' });
    const rows = rowsOf<{ n: number }>(
      await t.database.db.execute(
        sql`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'committed_anyway'`,
      ),
    );
    expect(rows[0]?.n).toBe(1);
  });
});
