import type { BatonClient } from '@baton/client';
import postgres from 'postgres';

/**
 * What the database holds, for "a refused input changes nothing": every row of every table, by
 * table and primary key. On PostgreSQL it is read with SQL; PGlite belongs to the runtime
 * process alone, so there it is read through the API (sessions with their event counter, the
 * decision log, the tokens), which sees every write the engine makes.
 */
export type Snapshot = ReadonlyMap<string, ReadonlyMap<string, Record<string, unknown>>>;

/** A row that appeared, disappeared or changed between two snapshots. */
export interface RowChange {
  readonly table: string;
  readonly key: string;
  readonly kind: 'inserted' | 'deleted' | 'updated';
  readonly before?: Record<string, unknown>;
  readonly after?: Record<string, unknown>;
}

/** Takes snapshots of one scenario's database. */
export interface SnapshotSource {
  readonly how: 'sql' | 'api';
  take(): Promise<Snapshot>;
  close(): Promise<void>;
}

/** Every row of every table (all schemas but the system's) of the database at `url`, by SQL. */
export async function sqlSnapshots(url: string): Promise<SnapshotSource> {
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  const tables = await sql<{ name: string; pk: string[] | null }[]>`
    SELECT format('%I.%I', t.table_schema, t.table_name) AS name,
           (SELECT array_agg(k.column_name::text ORDER BY k.ordinal_position)
              FROM information_schema.table_constraints c
              JOIN information_schema.key_column_usage k
                ON k.constraint_schema = c.constraint_schema AND k.constraint_name = c.constraint_name
             WHERE c.constraint_type = 'PRIMARY KEY'
               AND c.table_schema = t.table_schema AND c.table_name = t.table_name) AS pk
      FROM information_schema.tables t
     WHERE t.table_type = 'BASE TABLE'
       AND t.table_schema NOT IN ('pg_catalog', 'information_schema')
     ORDER BY 1`;
  if (tables.length === 0) throw new Error('the scenario database has no tables');
  const query = tables
    .map(
      ({ name }) => `SELECT '${name.replaceAll("'", "''")}' AS t, to_jsonb(x) AS r FROM ${name} x`,
    )
    .join(' UNION ALL ');
  const keyOf = new Map(tables.map(({ name, pk }) => [name, pk ?? []]));
  return {
    how: 'sql',
    async take() {
      const rows = await sql.unsafe<{ t: string; r: Record<string, unknown> }[]>(query);
      const snapshot = new Map<string, Map<string, Record<string, unknown>>>(
        tables.map(({ name }) => [name, new Map()]),
      );
      for (const { t, r } of rows) {
        const pk = keyOf.get(t) ?? [];
        const key = pk.length > 0 ? JSON.stringify(pk.map((c) => r[c])) : JSON.stringify(r);
        snapshot.get(t)?.set(key, r);
      }
      return snapshot;
    },
    close: () => sql.end(),
  };
}

/** Every page of a keyset listing. */
async function allPages<T>(
  page: (cursor: string | null) => Promise<{ items: T[]; nextCursor: string | null }>,
): Promise<T[]> {
  const items: T[] = [];
  for (let cursor: string | null = null; ;) {
    const result = await page(cursor);
    items.push(...result.items);
    if (!result.nextCursor) return items;
    cursor = result.nextCursor;
  }
}

/**
 * Snapshots through the API: every session (whose `lastSeq` moves with every event, so any state
 * change shows), every decision and every token.
 */
export function apiSnapshots(operator: BatonClient, admin: BatonClient): SnapshotSource {
  const byId = <T extends { id: string }>(rows: T[]) =>
    new Map(
      rows.map((row) => [JSON.stringify([row.id]), row as unknown as Record<string, unknown>]),
    );
  return {
    how: 'api',
    async take() {
      const [sessions, decisions, tokens] = await Promise.all([
        allPages((cursor) => operator.sessions.list.query({ limit: 200, cursor })),
        allPages((cursor) => operator.decisions.list.query({ limit: 200, cursor })),
        admin.tokens.list.query(),
      ]);
      return new Map([
        ['sessions', byId(sessions)],
        ['decisions', byId(decisions)],
        ['api_tokens', byId(tokens)],
      ]);
    },
    close: () => Promise.resolve(),
  };
}

/**
 * Columns that record use, not state: a token's `lastUsedAt` is written for any request it
 * authenticates, refused or not (at most once a minute, off the request path), as an access log
 * would be. A diff leaves them out.
 */
const USE_RECORDS: Readonly<Record<string, readonly string[]>> = {
  api_tokens: ['last_used_at', 'lastUsedAt'],
};

/** `row` as {@link diffSnapshots} compares it: without the use records of `table`. */
function asState(table: string, row: Record<string, unknown>): string {
  const skipped = USE_RECORDS[tableName(table)];
  if (!skipped) return JSON.stringify(row);
  return JSON.stringify(
    Object.fromEntries(Object.entries(row).filter(([k]) => !skipped.includes(k))),
  );
}

/** The rows that differ between two snapshots. */
export function diffSnapshots(before: Snapshot, after: Snapshot): RowChange[] {
  const changes: RowChange[] = [];
  for (const table of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(table) ?? new Map<string, Record<string, unknown>>();
    const b = after.get(table) ?? new Map<string, Record<string, unknown>>();
    for (const [key, row] of b) {
      const old = a.get(key);
      if (!old) changes.push({ table, key, kind: 'inserted', after: row });
      else if (asState(table, old) !== asState(table, row)) {
        changes.push({ table, key, kind: 'updated', before: old, after: row });
      }
    }
    for (const [key, row] of a) {
      if (!b.has(key)) changes.push({ table, key, kind: 'deleted', before: row });
    }
  }
  return changes;
}

/** A table's name without its schema (`public.sessions` → `sessions`). */
export const tableName = (table: string): string => table.slice(table.lastIndexOf('.') + 1);

/** A row's field, by its SQL (snake_case) or API (camelCase) name. */
export function field(row: Record<string, unknown> | undefined, snakeName: string): unknown {
  if (!row) return undefined;
  if (snakeName in row) return row[snakeName];
  return row[snakeName.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase())];
}
