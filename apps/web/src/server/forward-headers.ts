/** Request headers the tRPC client sends that the runtime needs (SSE resumes with Last-Event-ID). */
const REQUEST_HEADERS = ['content-type', 'accept', 'last-event-id', 'trpc-accept'] as const;

/** Response headers that describe a body we stream through unchanged. */
const RESPONSE_HEADERS = ['content-type', 'cache-control', 'vary'] as const;

/** The headers of a call to the runtime: the browser's few relevant ones, plus the token. */
export function requestHeadersFor(incoming: Headers, token: string): Headers {
  const headers = new Headers({ authorization: `Bearer ${token}` });
  for (const name of REQUEST_HEADERS) {
    const value = incoming.get(name);
    if (value !== null) headers.set(name, value);
  }
  return headers;
}

/**
 * The headers of the answer to the browser. Length and encoding are left out (fetch already
 * decoded the body); an event stream is marked so no proxy or compressor holds it back.
 */
export function responseHeadersFrom(upstream: Headers): Headers {
  const headers = new Headers();
  for (const name of RESPONSE_HEADERS) {
    const value = upstream.get(name);
    if (value !== null) headers.set(name, value);
  }
  if (upstream.get('content-type')?.startsWith('text/event-stream')) {
    headers.set('cache-control', 'no-cache, no-transform');
    headers.set('x-accel-buffering', 'no');
  }
  return headers;
}
