import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';

/** Where a scenario's runtime keeps its data, and how to clean it up. */
export interface ScenarioDatabase {
  readonly kind: 'pglite' | 'postgres';
  /** The env that points a runtime at it. */
  readonly env: Record<string, string>;
  drop(): Promise<void>;
}

/**
 * A fresh database for one scenario: a new PostgreSQL database on `serverUrl`, or a PGlite data
 * folder in a temp directory (kept on disk, so a restarted runtime finds its data).
 */
export async function createScenarioDatabase(serverUrl: string | null): Promise<ScenarioDatabase> {
  if (!serverUrl) {
    const dataDir = mkdtempSync(join(tmpdir(), 'baton-e2e-'));
    return { kind: 'pglite', env: { BATON_DATA_DIR: dataDir }, drop: () => Promise.resolve() };
  }
  const name = `baton_e2e_${randomUUID().replaceAll('-', '')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    kind: 'postgres',
    env: { DATABASE_URL: url.toString() },
    async drop() {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
