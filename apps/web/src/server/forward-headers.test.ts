import { describe, expect, it } from 'vitest';
import { requestHeadersFor, responseHeadersFrom } from './forward-headers';

describe('forwarding a tRPC call to the runtime', () => {
  it('adds the token and passes Last-Event-ID, but not the browser cookies', () => {
    const incoming = new Headers({
      cookie: 'baton_operator_token=secret',
      'last-event-id': '42',
      'content-type': 'application/json',
    });
    const out = requestHeadersFor(incoming, 'tok');
    expect(out.get('authorization')).toBe('Bearer tok');
    expect(out.get('last-event-id')).toBe('42');
    expect(out.get('content-type')).toBe('application/json');
    expect(out.get('cookie')).toBeNull();
  });

  it('marks an event stream as not to be buffered or transformed, and drops length and encoding', () => {
    const out = responseHeadersFrom(
      new Headers({
        'content-type': 'text/event-stream',
        'content-length': '10',
        'content-encoding': 'gzip',
      }),
    );
    expect(out.get('cache-control')).toBe('no-cache, no-transform');
    expect(out.get('x-accel-buffering')).toBe('no');
    expect(out.get('content-length')).toBeNull();
    expect(out.get('content-encoding')).toBeNull();
  });
});
