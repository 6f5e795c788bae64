import { createToken, listTokens, revokeToken, TokenRole } from '@baton/db';
import { z } from 'zod';
import { adminProcedure, notFound, router } from '../trpc';
import { id, text } from './inputs';

/** `tokens.*` (admin): API tokens; a secret is shown once, at creation. */
export const tokensRouter = router({
  create: adminProcedure
    .input(
      z.strictObject({
        name: text(100).pipe(z.string().min(1)),
        role: z.enum(Object.values(TokenRole) as [TokenRole, ...TokenRole[]]),
      }),
    )
    .mutation(({ ctx, input }) => createToken(ctx.database.db, { ...input, now: Date.now() })),

  list: adminProcedure.query(({ ctx }) => listTokens(ctx.database.db)),

  revoke: adminProcedure.input(z.strictObject({ id })).mutation(async ({ ctx, input }) => {
    const revoked = await revokeToken(ctx.database.db, { id: input.id, now: Date.now() });
    if (!revoked) throw notFound(`Token ${input.id}`);
    ctx.tokens.forget(input.id); // other replicas hear it from the database

    return { ok: true as const };
  }),
});
