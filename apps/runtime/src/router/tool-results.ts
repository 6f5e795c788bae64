import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { clientProcedure, notFound, router, unlessRefused } from '../trpc';
import { id, jsonValue, text } from './inputs';
import { assertMayWrite } from './session-writer';

/** `toolResults.submit`: the client hands back what a tool produced. */
export const toolResultsRouter = router({
  submit: clientProcedure
    .input(
      z
        .strictObject({
          sessionId: id,
          callId: id,
          result: jsonValue.optional(),
          error: text(Number.MAX_SAFE_INTEGER).optional(),
        })
        .refine((value) => (value.result === undefined) !== (value.error === undefined), {
          message: 'give exactly one of result and error',
          path: ['result'],
        }),
    )
    .mutation(async ({ ctx, input }) => {
      const outcome =
        input.error !== undefined
          ? { type: 'error' as const, message: input.error }
          : { type: 'result' as const, value: input.result ?? null };
      const bytes = Buffer.byteLength(JSON.stringify(outcome));
      const max = ctx.settings.limits.maxResultBytes;
      if (bytes > max) {
        throw new TRPCError({
          code: 'PAYLOAD_TOO_LARGE',
          message: `result: ${bytes} bytes is over the limit of ${max} (BATON_MAX_RESULT_BYTES); truncate it.`,
        });
      }
      await assertMayWrite(ctx, input.sessionId);
      const applied = await ctx.engine.apply(
        input.sessionId,
        { type: 'tool_result', callId: input.callId, outcome },
        { access: ctx.access },
      );
      if (applied.notFound) throw notFound(`Session ${input.sessionId}`);
      const accepted = unlessRefused(applied.result.outcome);
      if (!accepted.decision) throw new Error('a tool result always has a decision');
      return { decision: accepted.decision, duplicate: accepted.duplicate ?? false };
    }),
});
