import { createHash, randomBytes } from 'node:crypto';
import type { IdKind } from '@baton/domain';

/** The kinds of id the database makes, the domain's and its own. */
export type RecordKind = IdKind | 'session' | 'token';

let lastMillis = 0;
let counter = 0;

/**
 * A new id, unique across processes and replicas, that sorts as text in the order this process
 * made it: `decision_` + the time (12 hex digits of ms) + a counter within that millisecond (6) +
 * 16 random hex digits. Records of one transition written at the same instant (the decisions of
 * one input) therefore list in the order the domain made them.
 */
export function newId(kind: RecordKind): string {
  const now = Date.now();
  if (now > lastMillis) {
    lastMillis = now;
    counter = 0;
  } else {
    counter++;
  }
  const time = lastMillis.toString(16).padStart(12, '0');
  const seq = counter.toString(16).padStart(6, '0');
  return `${kind}_${time}${seq}${randomBytes(8).toString('hex')}`;
}

/**
 * The SHA-256 of a text's UTF-8 bytes, in hex: how a token's secret is stored, and the domain's
 * `digest` (see TransitionContext).
 */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
