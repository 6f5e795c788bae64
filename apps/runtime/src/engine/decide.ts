import { newId, sha256Hex } from '@baton/db';
import type { DomainConfig, SessionInput, SessionState, TransitionResult } from '@baton/domain';
import { transition } from '@baton/domain';

/**
 * How the engine decides one input: the domain's pure `transition` over the working set the
 * database loaded, given the clock reading, fresh ids and a digest (SHA-256). The database calls
 * it under the session lock and commits what it returns.
 */
export function decisionOf(
  input: SessionInput,
  now: number,
  config: DomainConfig,
): (state: SessionState) => TransitionResult {
  return (state) => transition(state, input, { now, config, newId, digest: sha256Hex });
}
