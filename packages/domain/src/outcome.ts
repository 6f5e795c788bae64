import type { DomainEvent } from './events';
import type { Decision, Message, Owner } from './records';
import type { AgentName } from './agents';
import type { DecisionKind } from './status';
import type { SessionState } from './state';

/** Work for the engine to carry out after the transition is committed. */
export type Effect =
  | {
      readonly type: 'run_model_step';
      readonly runId: string;
      readonly stepId: string;
      readonly fence: number;
      readonly owner: Owner;
      readonly agent: AgentName;
    }
  | { readonly type: 'abort_model_step'; readonly stepId: string; readonly reason: string };

/** Why an input was refused; the API edge maps `code` to a tRPC error code. */
export type RejectionCode = 'NOT_FOUND' | 'CONFLICT' | 'BAD_REQUEST';

/** What the caller of an input is told. */
export type InputOutcome =
  | {
      readonly ok: true;
      /** For tool results and approvals: the decision of the first accepted submission. */
      readonly decision?: DecisionKind;
      readonly duplicate?: boolean;
    }
  | { readonly ok: false; readonly code: RejectionCode; readonly message: string };

/**
 * The result of one input: the new state and everything to commit with it, in one transaction.
 * A refused input returns the state unchanged, with at most the decision that records it.
 */
export interface TransitionResult {
  readonly state: SessionState;
  readonly messages: readonly Message[];
  readonly effects: readonly Effect[];
  readonly decisions: readonly Decision[];
  readonly events: readonly DomainEvent[];
  readonly outcome: InputOutcome;
}
