import { isSessionVisible, listDecisions } from '@baton/db';
import { DecisionKind } from '@baton/domain';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { clientProcedure, notFound, router } from '../trpc';
import { cursor, direction, id, limit } from './inputs';

const decisionKind = z.enum(Object.values(DecisionKind) as [DecisionKind, ...DecisionKind[]]);

/** `decisions.list`: the skip/resume log, newest first, by session, kind and time. */
export const decisionsRouter = router({
  list: clientProcedure
    .input(
      z
        .strictObject({
          sessionId: id.optional(),
          kind: decisionKind.optional(),
          since: z.iso.datetime().optional(),
          limit,
          cursor,
          direction,
        })
        .default({ limit: 50 }),
    )
    .query(async ({ ctx, input }) => {
      if (ctx.access.clientId !== null) {
        if (!input.sessionId) {
          throw new TRPCError({
            code: 'BAD_REQUEST',
            message: 'sessionId: a client token lists the decisions of one of its sessions.',
          });
        }
        const visible = await isSessionVisible(ctx.database.db, {
          sessionId: input.sessionId,
          access: ctx.access,
        });
        if (!visible) throw notFound(`Session ${input.sessionId}`);
      }
      return listDecisions(ctx.database.db, input);
    }),
});
