import type { ApprovalPolicy } from './policy';
import { defaultApprovalPolicy } from './policy';

/** The settings that shape decisions (read from env by the runtime, passed in here). */
export interface DomainConfig {
  /** `required`: a plan waits for a human; `auto`: it starts at once. */
  readonly planApproval: 'required' | 'auto';
  /** Most steps one subtask may take before it fails (`BATON_MAX_STEPS`). */
  readonly maxSubtaskSteps: number;
  /** Most steps the session's own agent loop may take in one run. */
  readonly maxRunSteps: number;
  /** How long an approval waits before it expires; `null`: forever. */
  readonly approvalTimeoutMs: number | null;
  readonly approvalPolicy: ApprovalPolicy;
}

/** SPEC defaults. */
export const defaultDomainConfig: DomainConfig = {
  planApproval: 'required',
  maxSubtaskSteps: 25,
  maxRunSteps: 50,
  approvalTimeoutMs: null,
  approvalPolicy: defaultApprovalPolicy,
};

/** The kinds of id the domain asks for. */
export type IdKind =
  'run' | 'step' | 'call' | 'approval' | 'plan' | 'subtask' | 'message' | 'decision';

/**
 * What the pure core needs from the outside world, passed in so that tests are deterministic:
 * the clock, id generation and the configuration.
 */
export interface TransitionContext {
  /** Milliseconds since the epoch, as of this input. */
  readonly now: number;
  readonly newId: (kind: IdKind) => string;
  readonly config: DomainConfig;
}

/** A deterministic id generator (`step-1`, `call-2`, …) for tests and replays. */
export function sequentialIds(prefix = ''): (kind: IdKind) => string {
  let counter = 0;
  return (kind) => `${prefix}${kind}-${++counter}`;
}
