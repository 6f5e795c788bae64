import postgres from 'postgres';

/** Cumulative counters of one PostgreSQL database. */
export interface PgCounters {
  readonly commits: number;
  /** Executed statements (pg_stat_statements calls), null when the extension is not loaded. */
  readonly statements: number | null;
}

/**
 * VACUUM ANALYZE the database, so that autovacuum, which counts its own transactions in
 * `xact_commit`, has no catalog churn left from the migration to work through while a level is
 * measured. (It may still visit the tables the level writes: that part of the cost is counted.)
 */
export async function vacuum(databaseUrl: string): Promise<void> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => undefined });
  try {
    await sql`VACUUM (ANALYZE)`;
  } finally {
    await sql.end();
  }
}

/** Reads a database's counters over its own short-lived connection (its commits add 1–2). */
export async function readPgCounters(databaseUrl: string): Promise<PgCounters> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => undefined });
  try {
    const [db] = await sql<{ commits: string; preloaded: boolean }[]>`
      SELECT xact_commit::text AS commits,
             current_setting('shared_preload_libraries') LIKE '%pg_stat_statements%' AS preloaded
      FROM pg_stat_database WHERE datname = current_database()`;
    if (!db) throw new Error('pg_stat_database has no row for the benchmark database');
    let statements: number | null = null;
    if (db.preloaded) {
      await sql`CREATE EXTENSION IF NOT EXISTS pg_stat_statements`;
      const [row] = await sql<{ calls: string | null }[]>`
        SELECT sum(calls)::text AS calls FROM pg_stat_statements
        WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())`;
      statements = Number(row?.calls ?? 0);
    }
    return { commits: Number(db.commits), statements };
  } finally {
    await sql.end();
  }
}
