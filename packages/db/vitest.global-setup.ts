import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';
import { pgliteDatabase } from './src/client';
import { migrate } from './src/migrate';

/**
 * Starting PGlite means running initdb, which takes seconds; loading a snapshot of a data folder
 * is much quicker. So PGlite is started once here, and every test file starts its own instance
 * from these snapshots: an empty cluster, and one with the migrations applied.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const folder = await mkdtemp(join(tmpdir(), 'baton-db-test-'));
  const pg = await PGlite.create('memory://');
  const database = pgliteDatabase(pg);
  const empty = join(folder, 'empty.tar');
  await writeFile(empty, Buffer.from(await (await pg.dumpDataDir('none')).arrayBuffer()));
  await migrate(database);
  const migrated = join(folder, 'migrated.tar');
  await writeFile(migrated, Buffer.from(await (await pg.dumpDataDir('none')).arrayBuffer()));
  await database.close();
  project.provide('pgliteSnapshots', { empty, migrated });
  return () => rm(folder, { recursive: true, force: true });
}
