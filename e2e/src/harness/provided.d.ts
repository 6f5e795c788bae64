declare module 'vitest' {
  export interface ProvidedContext {
    /** DATABASE_URL, read in vitest.config.ts: when set, scenarios also run on PostgreSQL. */
    databaseUrl: string | null;
  }
}
export {};
