import type { AgentName } from './agents';
import { DEFAULT_AGENT } from './agents';
import type { TransitionContext } from './context';
import type { DomainEvent } from './events';
import type { Approval, Plan, Session, ToolCall } from './records';

/**
 * What the domain decides over: one session and the records an input can touch. The engine
 * loads this working set inside the session's lock: the session row, its active plan and any
 * plan the input names, the calls of the run's current step plus any call the input names, and
 * the approvals of those calls and plans. Open calls only ever belong to the current step, so
 * nothing outside the set can matter.
 */
export interface SessionState {
  readonly session: Session;
  readonly plans: Readonly<Record<string, Plan>>;
  readonly calls: Readonly<Record<string, ToolCall>>;
  readonly approvals: Readonly<Record<string, Approval>>;
}

/** Makes a new idle session and its `session.created` event. */
export function createSession(
  input: { id: string; title?: string; agent?: AgentName; clientId?: string | null },
  ctx: Pick<TransitionContext, 'now'>,
): { state: SessionState; events: DomainEvent[] } {
  const at = new Date(ctx.now).toISOString();
  const session: Session = {
    id: input.id,
    clientId: input.clientId ?? null,
    title: input.title ?? 'Untitled session',
    agent: input.agent ?? DEFAULT_AGENT,
    run: { status: 'idle' },
    runSteps: 0,
    activePlanId: null,
    revisingPlanId: null,
    createdAt: at,
    updatedAt: at,
  };
  return {
    state: { session, plans: {}, calls: {}, approvals: {} },
    events: [{ type: 'session.created', at, data: { title: session.title, agent: session.agent } }],
  };
}
