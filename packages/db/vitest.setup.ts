declare module 'vitest' {
  export interface ProvidedContext {
    /** DATABASE_URL, read in vitest.config.ts: the PostgreSQL server to test on too, if any. */
    databaseUrl: string | null;
    /** PGlite data folders as tar files, made once by vitest.global-setup.ts. */
    pgliteSnapshots: { empty: string; migrated: string };
  }
}

export {};
