import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { afterAll, beforeAll, inject } from 'vitest';
import type { Database, DatabaseKind } from '../client';
import { openDatabase, pgliteDatabase } from '../client';
import { migrate } from '../migrate';

/** A backend the suite runs on. */
export interface Backend {
  readonly kind: DatabaseKind;
  /** PostgreSQL only: the server's URL (DATABASE_URL), where a fresh database is made per file. */
  readonly serverUrl: string | null;
}

/** PGlite always; PostgreSQL too when the suite was given a server URL. */
export function testBackends(databaseUrl: string | null): Backend[] {
  return [
    { kind: 'pglite', serverUrl: null },
    ...(databaseUrl ? [{ kind: 'postgres' as const, serverUrl: databaseUrl }] : []),
  ];
}

/** The database a test file works on, opened by {@link useTestDatabase}. */
export interface TestDatabase {
  /** The database under test (migrated unless asked otherwise). */
  readonly database: Database;
  /** PostgreSQL: the URL of this file's own database. */
  readonly url: string | null;
  /**
   * Another connection to the same database, with its own client, closed with the file. PGlite
   * is one connection: there it is the same database, and concurrent work is serialized.
   */
  connect(): Promise<Database>;
}

/** A PGlite in memory, started from a snapshot the global setup made (much quicker than initdb). */
async function pgliteFromSnapshot(migrated: boolean): Promise<Database> {
  const snapshots = inject('pgliteSnapshots');
  const tar = await readFile(migrated ? snapshots.migrated : snapshots.empty);
  return pgliteDatabase(await PGlite.create({ loadDataDir: new Blob([tar]) }));
}

/**
 * Registers hooks that give the enclosing `describe` its own database on `backend`: PGlite in
 * memory, or a new, uniquely named PostgreSQL database that is dropped afterwards.
 */
export function useTestDatabase(
  backend: Backend,
  options: { migrate?: boolean } = {},
): TestDatabase {
  let database: Database | null = null;
  let url: string | null = null;
  const opened: Database[] = [];
  let dropDatabase: (() => Promise<void>) | null = null;

  beforeAll(async () => {
    if (backend.serverUrl) {
      const name = `baton_test_${randomUUID().replaceAll('-', '')}`;
      const admin = postgres(backend.serverUrl, { max: 1, onnotice: () => undefined });
      await admin.unsafe(`CREATE DATABASE ${name}`);
      const target = new URL(backend.serverUrl);
      target.pathname = `/${name}`;
      url = target.toString();
      dropDatabase = async () => {
        await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      };
    }
    const migrated = options.migrate !== false;
    database = url ? await openDatabase({ url }) : await pgliteFromSnapshot(migrated);
    opened.push(database);
    if (migrated) await migrate(database);
  });

  afterAll(async () => {
    await Promise.all(opened.map((db) => db.close()));
    await dropDatabase?.();
  });

  return {
    get database() {
      if (!database) throw new Error('the test database is not open yet');
      return database;
    },
    get url() {
      return url;
    },
    async connect() {
      if (!url) return this.database;
      const connection = await openDatabase({ url });
      opened.push(connection);
      return connection;
    },
  };
}
