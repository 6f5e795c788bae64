import { publicProcedure } from '../trpc';

/** `health`: is the runtime up, and on which database. No token needed. */
export const healthRouter = publicProcedure.query(({ ctx }) => ({
  status: 'ok' as const,
  version: ctx.version,
  database: ctx.database.kind,
}));
