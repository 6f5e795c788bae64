import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { clientProcedure, notFound, router, unlessRefused } from '../trpc';
import { agentName, id, text } from './inputs';
import { assertMayWrite } from './session-writer';

/** `messages.send`: a user message starts a run; it returns once stored, work goes on. */
export const messagesRouter = router({
  send: clientProcedure
    .input(
      z.strictObject({
        sessionId: id,
        content: text(Number.MAX_SAFE_INTEGER).pipe(z.string().min(1)),
        agent: agentName.optional(),
        idempotencyKey: text(200).pipe(z.string().min(1)).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const max = ctx.settings.limits.maxMessageChars;
      if (input.content.length > max) {
        throw new TRPCError({
          code: 'PAYLOAD_TOO_LARGE',
          message: `content: a message may have at most ${max} characters.`,
        });
      }
      await assertMayWrite(ctx, input.sessionId);
      const applied = await ctx.engine.apply(
        input.sessionId,
        {
          type: 'user_message',
          text: input.content,
          ...(input.agent ? { agent: input.agent } : {}),
        },
        {
          access: ctx.access,
          ...(input.idempotencyKey ? { idempotencyKey: input.idempotencyKey } : {}),
        },
      );
      if (applied.notFound) throw notFound(`Session ${input.sessionId}`);
      unlessRefused(applied.result.outcome);
      const messageId = applied.replayedMessageId ?? applied.result.messages[0]?.id;
      if (!messageId) throw new Error('an accepted user message always stores a message');
      return {
        messageId,
        runState: applied.result.state.session.run,
        duplicate: applied.replayedMessageId !== null,
      };
    }),
});
