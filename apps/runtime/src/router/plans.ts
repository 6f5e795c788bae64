import { getPlan } from '@baton/db';
import type { SessionInput } from '@baton/domain';
import { z } from 'zod';
import type { Context } from '../trpc';
import { clientProcedure, notFound, router, unlessRefused } from '../trpc';
import { feedback, id, reason } from './inputs';

type PlanInput = Extract<SessionInput, { planId: string }>;

/** Applies a plan input in the plan's session, and returns the plan as it now stands. */
async function applyToPlan(
  ctx: Context & { access: { clientId: string | null } },
  planId: string,
  input: PlanInput,
) {
  const plan = await getPlan(ctx.database.db, { planId, access: ctx.access });
  if (!plan) throw notFound(`Plan ${planId}`);
  const applied = await ctx.engine.apply(plan.sessionId, input, { access: ctx.access });
  if (applied.notFound) throw notFound(`Plan ${planId}`);
  unlessRefused(applied.result.outcome);
  return applied.result.state.plans[planId] ?? plan;
}

/** `plans.*`: read a plan; approve, reject or revise it; cancel it; retry a failed subtask. */
export const plansRouter = router({
  get: clientProcedure.input(z.strictObject({ planId: id })).query(async ({ ctx, input }) => {
    const plan = await getPlan(ctx.database.db, { planId: input.planId, access: ctx.access });
    if (!plan) throw notFound(`Plan ${input.planId}`);
    return plan;
  }),

  decide: clientProcedure
    .input(
      z.strictObject({ planId: id, decision: z.enum(['approve', 'reject', 'revise']), feedback }),
    )
    .mutation(({ ctx, input }) =>
      applyToPlan(ctx, input.planId, {
        type: 'plan_decision',
        planId: input.planId,
        decision: input.decision,
        by: ctx.token.name,
        ...(input.feedback !== undefined ? { feedback: input.feedback } : {}),
      }),
    ),

  cancel: clientProcedure.input(z.strictObject({ planId: id, reason })).mutation(({ ctx, input }) =>
    applyToPlan(ctx, input.planId, {
      type: 'cancel_plan',
      planId: input.planId,
      reason: input.reason ?? 'cancelled',
      by: ctx.token.name,
    }),
  ),

  retrySubtask: clientProcedure
    .input(z.strictObject({ planId: id, subtaskId: id }))
    .mutation(({ ctx, input }) =>
      applyToPlan(ctx, input.planId, {
        type: 'retry_subtask',
        planId: input.planId,
        subtaskId: input.subtaskId,
        by: ctx.token.name,
      }),
    ),
});
