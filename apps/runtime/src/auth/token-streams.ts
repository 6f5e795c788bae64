/** Event streams a token may hold open at once on one replica. */
export const DEFAULT_MAX_STREAMS_PER_TOKEN = 32;

/** What a stream of a revoked token ends with. */
export const REVOKED_MESSAGE =
  'The API token was revoked: its event streams have ended and it is refused from now on.';

/** Revoked token ids remembered, so that a stream opened just after a revocation ends at once. */
const REMEMBERED_REVOCATIONS = 10_000;

/** One open event stream of a token. */
export interface StreamSlot {
  /**
   * Aborted when the token's streams are ended (a revocation), when the request's own signal
   * aborts (the client left), or when the slot is closed: what the stream follows.
   */
  readonly signal: AbortSignal;
  /** Why the token's streams were ended, or null while they were not. */
  endedBecause(): string | null;
  /** Gives the slot back (the stream is over); once is enough, more do nothing. */
  close(): void;
}

/**
 * The open event streams of each token on this replica: capped per token, and ended together
 * when the token is revoked (SPEC §8: a revoked token gets nothing more, streams included).
 */
export interface TokenStreams {
  /** Streams one token may have open at once. */
  readonly max: number;
  /** A slot for one more stream of the token, or null when it holds `max` already. */
  open(tokenId: string, request?: AbortSignal): StreamSlot | null;
  /** Ends the token's streams for good: those open now, and any opened after. */
  revoke(tokenId: string): void;
  /** Ends the token's open streams (saying `why`); later ones are not affected. */
  interrupt(tokenId: string, why: string): void;
  /** The tokens that have streams open. */
  tokenIds(): string[];
}

/** Opens the registry of streams, allowing `max` per token. */
export function createTokenStreams(max = DEFAULT_MAX_STREAMS_PER_TOKEN): TokenStreams {
  const open = new Map<string, { ending: AbortController; count: number }>();
  // In the order revoked, so the oldest is forgotten first.
  const revoked = new Set<string>();

  const end = (tokenId: string, why: string): void => {
    open.get(tokenId)?.ending.abort(why);
    open.delete(tokenId);
  };

  return {
    max,
    open(tokenId, request) {
      let entry = open.get(tokenId);
      if (!entry) {
        entry = { ending: new AbortController(), count: 0 };
        open.set(tokenId, entry);
        // Authenticated before the revocation, opened after it: it ends before its first event.
        if (revoked.has(tokenId)) entry.ending.abort(REVOKED_MESSAGE);
      }
      if (entry.count >= max) return null;
      entry.count += 1;
      const held = entry;
      const closed = new AbortController();
      const signals = [held.ending.signal, closed.signal, ...(request ? [request] : [])];
      const signal = AbortSignal.any(signals);
      const close = (): void => {
        if (closed.signal.aborted) return;
        closed.abort();
        held.count -= 1;
        if (held.count === 0 && open.get(tokenId) === held) open.delete(tokenId);
      };
      // A stream cancelled before it ever ran has no `finally` to close it: its request does —
      // at once when the client left already (while its context was made), or no abort comes.
      if (request?.aborted) close();
      else request?.addEventListener('abort', close, { once: true });
      return {
        signal,
        endedBecause: () => (held.ending.signal.aborted ? String(held.ending.signal.reason) : null),
        close,
      };
    },
    revoke(tokenId) {
      revoked.delete(tokenId);
      revoked.add(tokenId);
      if (revoked.size > REMEMBERED_REVOCATIONS) {
        const oldest = revoked.values().next().value;
        if (oldest !== undefined) revoked.delete(oldest);
      }
      end(tokenId, REVOKED_MESSAGE);
    },
    interrupt: end,
    tokenIds: () => [...open.keys()],
  };
}
