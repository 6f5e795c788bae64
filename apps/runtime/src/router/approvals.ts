import { z } from 'zod';
import { clientProcedure, notFound, router, unlessRefused } from '../trpc';
import { feedback, id, jsonValue } from './inputs';

/** `approvals.decide`: a human answers a gated tool call (or a plan, by its approval id). */
export const approvalsRouter = router({
  decide: clientProcedure
    .input(
      z.strictObject({
        sessionId: id,
        approvalId: id,
        decision: z.enum(['approve', 'reject', 'edit']),
        arguments: jsonValue.optional(),
        feedback,
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const applied = await ctx.engine.apply(
        input.sessionId,
        {
          type: 'approval_decision',
          approvalId: input.approvalId,
          decision: input.decision,
          by: ctx.token.name,
          ...(input.arguments !== undefined ? { arguments: input.arguments } : {}),
          ...(input.feedback !== undefined ? { feedback: input.feedback } : {}),
        },
        { access: ctx.access },
      );
      if (applied.notFound) throw notFound(`Session ${input.sessionId}`);
      unlessRefused(applied.result.outcome);
      const approval = applied.result.state.approvals[input.approvalId];
      if (!approval) throw notFound(`Approval ${input.approvalId}`);
      return approval;
    }),
});
