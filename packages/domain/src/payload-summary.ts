import type { JsonValue } from './json';

/** How many characters of a refused payload its decision keeps, at most. */
export const PAYLOAD_PREFIX_CHARS = 256;

/**
 * What a decision keeps of a payload that changed nothing (a conflicting or late tool result, a
 * result for an unknown call, arguments of a refused approval): its size, a digest to match it
 * with what the client sent, and a bounded prefix to read. Never the payload itself, so a
 * refused request cannot make the database store, or every subscriber receive, what it sent.
 */
export type PayloadSummary = {
  /** Length of the payload's JSON text, in characters. */
  readonly chars: number;
  /** The digest of the payload's JSON text (`TransitionContext.digest`: SHA-256, hex). */
  readonly digest: string;
  /** The first {@link PAYLOAD_PREFIX_CHARS} characters of the JSON text. */
  readonly prefix: string;
};

/** The {@link PayloadSummary} of `payload`, with `digest` computing the digest. */
export function summarizePayload(
  payload: JsonValue,
  digest: (text: string) => string,
): PayloadSummary {
  const text = JSON.stringify(payload);
  return { chars: text.length, digest: digest(text), prefix: text.slice(0, PAYLOAD_PREFIX_CHARS) };
}
