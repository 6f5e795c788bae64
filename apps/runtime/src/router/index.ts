import { router } from '../trpc';
import { agentsRouter } from './agents';
import { approvalsRouter } from './approvals';
import { decisionsRouter } from './decisions';
import { eventsRouter } from './events';
import { healthRouter } from './health';
import { messagesRouter } from './messages';
import { plansRouter } from './plans';
import { sessionsRouter } from './sessions';
import { statsRouter } from './stats';
import { tokensRouter } from './tokens';
import { toolResultsRouter } from './tool-results';

/** Baton's API (SPEC §7). */
export const appRouter = router({
  health: healthRouter,
  sessions: sessionsRouter,
  messages: messagesRouter,
  toolResults: toolResultsRouter,
  approvals: approvalsRouter,
  plans: plansRouter,
  decisions: decisionsRouter,
  events: eventsRouter,
  agents: agentsRouter,
  stats: statsRouter,
  tokens: tokensRouter,
});

/** The router's type: what `@baton/client` and the dashboard are typed from. */
export type AppRouter = typeof appRouter;
