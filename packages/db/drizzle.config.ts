import { defineConfig } from 'drizzle-kit';

/** `npm run db:generate` writes a new SQL migration to migrations/ from src/schema (commit it). */
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema/index.ts',
  out: './migrations',
});
