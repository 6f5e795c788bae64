import { statsOverview } from '@baton/db';
import { operatorProcedure, router } from '../trpc';

/** `stats.overview` (operator): sessions by state, decisions by kind, tool round-trip latency. */
export const statsRouter = router({
  overview: operatorProcedure.query(({ ctx }) => statsOverview(ctx.database.db)),
});
