import { describe, expect, it } from 'vitest';
import { readBodyWithin } from './capped-body';

const LIMIT = 1024;

/** A request whose body is `chunkCount` chunks of `chunkSize` bytes (endless when Infinity). */
function streamedRequest(chunkSize: number, chunkCount: number, headers: HeadersInit = {}) {
  const source = { pulled: 0, cancelled: null as unknown };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (source.pulled === chunkCount) return controller.close();
      source.pulled += 1;
      controller.enqueue(new Uint8Array(chunkSize).fill(120));
    },
    cancel(reason) {
      source.cancelled = reason;
    },
  });
  const request = new Request('http://dashboard.test/api/trpc/x', {
    method: 'POST',
    body,
    headers,
    duplex: 'half',
  } as RequestInit);
  return { request, source };
}

describe('reading a tRPC request body within the limit', () => {
  it('reads a body of exactly the limit whole', async () => {
    const { request } = streamedRequest(256, 4);
    const read = await readBodyWithin(request, LIMIT);
    expect(read.status).toBe('read');
    expect(read.status === 'read' && read.bytes.byteLength).toBe(LIMIT);
  });

  it('reads a small JSON body as sent', async () => {
    const request = new Request('http://dashboard.test/api/trpc/x', {
      method: 'POST',
      body: '{"0":{"json":null}}',
    });
    const read = await readBodyWithin(request, LIMIT);
    expect(read.status === 'read' && new TextDecoder().decode(read.bytes)).toBe(
      '{"0":{"json":null}}',
    );
  });

  it('refuses a body whose Content-Length is over the limit without reading any of it', async () => {
    const { request, source } = streamedRequest(256, 5, { 'content-length': String(LIMIT + 1) });
    expect(await readBodyWithin(request, LIMIT)).toEqual({ status: 'too_large' });
    // A stream may pull once ahead of any reader; none of the body is read past that.
    expect(source.pulled).toBeLessThanOrEqual(1);
  });

  it('stops reading an endless chunked body once it goes over the limit, and cancels the rest', async () => {
    const { request, source } = streamedRequest(100, Number.POSITIVE_INFINITY);
    expect(await readBodyWithin(request, LIMIT)).toEqual({ status: 'too_large' });
    expect(source.cancelled).toMatch(/over 1024 bytes/);
    expect(source.pulled).toBeLessThanOrEqual(Math.ceil(LIMIT / 100) + 2);
  });
});
