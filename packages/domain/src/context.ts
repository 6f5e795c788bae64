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
 * the clock, id generation, a digest function and the configuration.
 */
export interface TransitionContext {
  /** Milliseconds since the epoch, as of this input. */
  readonly now: number;
  readonly newId: (kind: IdKind) => string;
  /**
   * A digest of a text (the runtime's: SHA-256, hex), for what a decision keeps of a payload it
   * refused. Passed in because hashing is the platform's (node:crypto), not the domain's.
   */
  readonly digest: (text: string) => string;
  readonly config: DomainConfig;
}

/**
 * A stand-in digest for tests and replays: deterministic and cheap, not cryptographic
 * (FNV-1a, 32 bits, hex).
 */
export function testDigest(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/** A deterministic id generator (`step-1`, `call-2`, …) for tests and replays. */
export function sequentialIds(prefix = ''): (kind: IdKind) => string {
  let counter = 0;
  return (kind) => `${prefix}${kind}-${++counter}`;
}
