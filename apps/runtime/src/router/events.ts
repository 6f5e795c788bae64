import { followEvents } from '@baton/db';
import { tracked } from '@trpc/server';
import { z } from 'zod';
import { operatorProcedure, router } from '../trpc';

/** `events.all`: every session's events, in commit order, for the dashboard. */
export const eventsRouter = router({
  all: operatorProcedure
    .input(z.strictObject({ lastEventId: z.string().max(100).nullish() }).default({}))
    .subscription(async function* ({ ctx, input, signal }) {
      for await (const event of followEvents(ctx.database, {
        afterId: input.lastEventId ?? null,
        ...(signal ? { signal } : {}),
      })) {
        yield tracked(event.id, event);
      }
    }),
});
