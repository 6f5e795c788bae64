import { describe, expect, it } from 'vitest';
import { createTokenStreams, REVOKED_MESSAGE } from './token-streams';

describe('createTokenStreams', () => {
  it('caps the open streams of one token and gives a slot back when a stream closes', () => {
    const streams = createTokenStreams(2);
    const first = streams.open('tok_a');
    const second = streams.open('tok_a');
    expect(first && second).toBeTruthy();
    expect(streams.open('tok_a')).toBeNull();
    expect(streams.open('tok_b')).not.toBeNull();
    first?.close();
    first?.close(); // twice gives back one slot, not two
    expect(streams.open('tok_a')).not.toBeNull();
    expect(streams.open('tok_a')).toBeNull();
  });

  it('gives the slot back when the request is aborted, even if its stream never ran', () => {
    const streams = createTokenStreams(1);
    const request = new AbortController();
    const slot = streams.open('tok_a', request.signal);
    expect(streams.open('tok_a')).toBeNull();
    request.abort();
    expect(slot?.signal.aborted).toBe(true);
    expect(slot?.endedBecause()).toBeNull();
    expect(streams.open('tok_a')).not.toBeNull();
  });

  it('gives the slot back at once when the request was aborted before the stream opened', () => {
    const streams = createTokenStreams(1);
    const request = new AbortController();
    request.abort();
    const slot = streams.open('tok_a', request.signal);
    expect(slot?.signal.aborted).toBe(true);
    expect(streams.open('tok_a')).not.toBeNull();
  });

  it('ends every open stream of a revoked token, and any it opens later, and no other', () => {
    const streams = createTokenStreams();
    const revoked = [streams.open('tok_a'), streams.open('tok_a')];
    const other = streams.open('tok_b');
    streams.revoke('tok_a');
    for (const slot of revoked) {
      expect(slot?.signal.aborted).toBe(true);
      expect(slot?.endedBecause()).toBe(REVOKED_MESSAGE);
    }
    expect(other?.signal.aborted).toBe(false);
    expect(other?.endedBecause()).toBeNull();
    // Authenticated just before the revocation, opened just after: ended from the start.
    expect(streams.open('tok_a')?.endedBecause()).toBe(REVOKED_MESSAGE);
    expect(streams.tokenIds()).toEqual(['tok_b', 'tok_a']);
  });

  it('interrupts the open streams of a token, leaving later ones alone', () => {
    const streams = createTokenStreams();
    const open = streams.open('tok_a');
    streams.interrupt('tok_a', 'subscribe again');
    expect(open?.endedBecause()).toBe('subscribe again');
    expect(streams.open('tok_a')?.endedBecause()).toBeNull();
  });

  it('forgets a token once its last stream closed', () => {
    const streams = createTokenStreams();
    const slots = [streams.open('tok_a'), streams.open('tok_a')];
    expect(streams.tokenIds()).toEqual(['tok_a']);
    for (const slot of slots) slot?.close();
    expect(streams.tokenIds()).toEqual([]);
  });
});
