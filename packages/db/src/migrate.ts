import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import type { Database } from './client';

/** The committed migrations (packages/db/migrations, written by drizzle-kit). */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../migrations', import.meta.url));

/** The advisory lock key that serializes migrations (the bytes of "baton" as a number). */
const MIGRATION_LOCK = sql.raw(String(0x626174_6f6e));

/**
 * Brings the database up to the committed migrations: from empty, or from any earlier version;
 * a no-op when it is current. Safe when several processes start at once: the whole run is one
 * transaction under a transaction-scoped advisory lock, so the first applies the migrations and
 * the others, once it commits, find nothing to do. Keeps drizzle's own bookkeeping table
 * (`drizzle.__drizzle_migrations`), so drizzle-kit sees the same history.
 * Returns how many migrations it applied.
 */
export async function migrate(
  database: Database,
  options: { migrationsFolder?: string } = {},
): Promise<number> {
  const migrations = readMigrationFiles({
    migrationsFolder: options.migrationsFolder ?? MIGRATIONS_FOLDER,
  });
  return database.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    await tx.execute(sql`CREATE SCHEMA IF NOT EXISTS drizzle`);
    await tx.execute(sql`
      CREATE TABLE IF NOT EXISTS drizzle.__drizzle_migrations (
        id SERIAL PRIMARY KEY,
        hash text NOT NULL,
        created_at bigint
      )`);
    const applied = await tx
      .select({ last: sql<string | null>`max(created_at)::text` })
      .from(sql`drizzle.__drizzle_migrations`);
    const last = Number(applied[0]?.last ?? -1);
    let count = 0;
    for (const migration of migrations) {
      if (migration.folderMillis <= last) continue;
      for (const statement of migration.sql) {
        if (statement.trim()) await tx.execute(sql.raw(statement));
      }
      await tx.execute(sql`
        INSERT INTO drizzle.__drizzle_migrations (hash, created_at)
        VALUES (${migration.hash}, ${migration.folderMillis})`);
      count++;
    }
    return count;
  });
}
