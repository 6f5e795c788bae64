import { eq, sql } from 'drizzle-orm';
import { describe, expect, inject, it } from 'vitest';
import { rowsOf } from './repo/raw';
import { sessions } from './schema';
import { testBackends, useTestDatabase } from './testing/backends';

const postgresOnly = testBackends(inject('databaseUrl')).filter((b) => b.kind === 'postgres');

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
});
