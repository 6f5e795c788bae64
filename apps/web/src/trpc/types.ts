import type { AppRouter } from '@baton/runtime';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';

/** What each procedure returns, inferred from the runtime's router. */
export type Outputs = inferRouterOutputs<AppRouter>;
/** What each procedure takes. */
export type Inputs = inferRouterInputs<AppRouter>;

export type SessionDetails = Outputs['sessions']['get'];
export type SessionListItem = Outputs['sessions']['list']['items'][number];
export type DecisionRecord = Outputs['decisions']['list']['items'][number];
export type PlanRecord = SessionDetails['plans'][number];
