import { followEvents, latestEventId } from '@baton/db';
import { tracked } from '@trpc/server';
import { z } from 'zod';
import { operatorProcedure, router } from '../trpc';
import { lastEventId } from './inputs';

/** `events.all`: every session's events, in commit order, for the dashboard. */
export const eventsRouter = router({
  all: operatorProcedure
    .input(
      z
        .strictObject({
          lastEventId,
          // Without lastEventId: 'start' replays every session's history first; 'now' skips it
          // and follows what commits from now on (a live feed). A resume always wins.
          from: z.enum(['start', 'now']).default('start'),
        })
        .default({ from: 'start' }),
    )
    .subscription(async function* ({ ctx, input }) {
      const afterId =
        input.lastEventId ?? (input.from === 'now' ? await latestEventId(ctx.database.db) : null);
      for await (const event of followEvents(ctx.database, {
        afterId,
        // Ends on a revocation of the token as well as when the client leaves.
        ...(ctx.streamSignal ? { signal: ctx.streamSignal } : {}),
      })) {
        yield tracked(event.id, event);
      }
    }),
});
