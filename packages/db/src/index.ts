/** Drizzle schema, repositories and the database client (PGlite or PostgreSQL) will live here. */
export {};
