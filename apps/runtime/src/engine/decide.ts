import { createHash } from 'node:crypto';
import { newId } from '@baton/db';
import type { DomainConfig, SessionInput, SessionState, TransitionResult } from '@baton/domain';
import { transition } from '@baton/domain';

/** SHA-256 of a text, hex: the digest the domain keeps of a payload it refused. */
function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * How the engine decides one input: the domain's pure `transition` over the working set the
 * database loaded, given the clock reading, fresh ids and the digest function it needs. The
 * database calls it under the session lock and commits what it returns.
 */
export function decisionOf(
  input: SessionInput,
  now: number,
  config: DomainConfig,
): (state: SessionState) => TransitionResult {
  return (state) => transition(state, input, { now, config, newId, digest: sha256Hex });
}
