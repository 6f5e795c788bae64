import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { describe, expect, inject, it } from 'vitest';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { MIGRATIONS_FOLDER, migrate } from './migrate';
import { sessions } from './schema';
import { testBackends, useTestDatabase } from './testing/backends';

const CHILD = fileURLToPath(new URL('./testing/migrate-child.ts', import.meta.url));

/** Starts a process that migrates `url` once told to; resolves when it is connected. */
async function startMigrator(url: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, url], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = once(child, 'exit') as Promise<[number | null]>;
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', () => stdout.includes('ready\n') && resolve());
    void exited.then(([code]) => reject(new Error(`migrator exited (${code}) early: ${stderr}`)));
  });
  return {
    go: () => child.stdin.end('go\n'),
    done: async () => {
      const [code] = await exited;
      return { code, stdout, stderr };
    },
  };
}

/** How many migrations are committed (each run from empty applies them all). */
const committedMigrations = readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER }).length;

describe.each(testBackends(inject('databaseUrl')))('migrations on $kind', (backend) => {
  const t = useTestDatabase(backend, { migrate: false });

  it('create every table on an empty database, and a second run is a no-op', async () => {
    expect(await migrate(t.database)).toBe(committedMigrations);
    expect(await t.database.db.$count(sessions)).toBe(0);
    const tables = await t.database.db
      .select({ name: sql<string>`table_name` })
      .from(sql`information_schema.tables`)
      .where(sql`table_schema = 'public'`);
    expect(tables.map((row) => row.name).sort()).toEqual([
      'api_tokens',
      'approvals',
      'decisions',
      'events',
      'leases',
      'messages',
      'plans',
      'sessions',
      'subtasks',
      'tool_calls',
    ]);
    expect(await migrate(t.database)).toBe(0);
  });

  // Needs separate connections or processes, which PGlite (one connection) does not have.
  if (backend.kind === 'postgres')
    it('let two processes starting at once on an empty database both come up', async () => {
      const fresh = await t.connect();
      await fresh.db.execute(sql`DROP SCHEMA public CASCADE`);
      await fresh.db.execute(sql`DROP SCHEMA IF EXISTS drizzle CASCADE`);
      await fresh.db.execute(sql`CREATE SCHEMA public`);
      const url = t.url as string;
      const migrators = await Promise.all([startMigrator(url), startMigrator(url)]);
      for (const migrator of migrators) migrator.go();
      const results = await Promise.all(migrators.map((migrator) => migrator.done()));
      for (const result of results) expect(result, result.stderr).toMatchObject({ code: 0 });
      const applied = results.map((result) => result.stdout.match(/applied (\d+)/)?.[1]).sort();
      expect(applied).toEqual(['0', String(committedMigrations)].sort());
      expect(await fresh.db.$count(sessions)).toBe(0);
    });
});
