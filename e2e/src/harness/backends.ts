/** The databases the scenarios run on: PGlite always, PostgreSQL when a server URL is given. */
export function backends(
  databaseUrl: string | null,
): { kind: string; databaseUrl: string | null }[] {
  return [
    { kind: 'pglite', databaseUrl: null },
    ...(databaseUrl ? [{ kind: 'postgres', databaseUrl }] : []),
  ];
}
