import { createSession, followEvents, getSession, isSessionVisible, listSessions } from '@baton/db';
import { RunStatus } from '@baton/domain';
import { tracked } from '@trpc/server';
import { z } from 'zod';
import { clientProcedure, notFound, router } from '../trpc';
import { agentName, cursor, direction, id, lastEventId, limit, reason, text } from './inputs';

const runStatus = z.enum(Object.values(RunStatus) as [RunStatus, ...RunStatus[]]);

/** `sessions.*`: conversations, their state and their live event stream. */
export const sessionsRouter = router({
  create: clientProcedure
    .input(
      z.strictObject({
        title: text(200).pipe(z.string().min(1)).optional(),
        agent: agentName.optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const created = await createSession(ctx.database, {
        ...input,
        clientId: ctx.token.id,
        ctx: { now: Date.now() },
      });
      return created.session;
    }),

  list: clientProcedure
    .input(
      z
        .strictObject({
          status: runStatus.optional(),
          search: text(200).optional(),
          limit,
          cursor,
          direction,
        })
        .default({ limit: 50 }),
    )
    .query(({ ctx, input }) =>
      listSessions(ctx.database.db, {
        ...input,
        ...(ctx.access.clientId !== null ? { clientId: ctx.access.clientId } : {}),
      }),
    ),

  get: clientProcedure.input(z.strictObject({ sessionId: id })).query(async ({ ctx, input }) => {
    const details = await getSession(ctx.database.db, {
      sessionId: input.sessionId,
      access: ctx.access,
    });
    if (!details) throw notFound(`Session ${input.sessionId}`);
    return details;
  }),

  events: clientProcedure
    .input(z.strictObject({ sessionId: id, lastEventId }))
    .subscription(async function* ({ ctx, input }) {
      const visible = await isSessionVisible(ctx.database.db, {
        sessionId: input.sessionId,
        access: ctx.access,
      });
      if (!visible) throw notFound(`Session ${input.sessionId}`);
      for await (const event of followEvents(ctx.database, {
        sessionId: input.sessionId,
        afterId: input.lastEventId ?? null,
        // Ends on a revocation of the token as well as when the client leaves.
        ...(ctx.streamSignal ? { signal: ctx.streamSignal } : {}),
      })) {
        yield tracked(event.id, event);
      }
    }),

  cancel: clientProcedure
    .input(z.strictObject({ sessionId: id, reason }))
    .mutation(async ({ ctx, input }) => {
      const applied = await ctx.engine.apply(
        input.sessionId,
        { type: 'cancel_run', reason: input.reason ?? 'cancelled by the user', by: ctx.token.name },
        { access: ctx.access },
      );
      if (applied.notFound) throw notFound(`Session ${input.sessionId}`);
      return applied.result.state.session.run;
    }),
});
