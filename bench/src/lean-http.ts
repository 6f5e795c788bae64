import http from 'node:http';
import type { SessionEvent } from '@baton/domain';

/**
 * The benchmark's hot path over plain HTTP + SSE, the way a client in any language speaks tRPC
 * (a POST of the input as JSON; an event stream of `id:`/`data:` frames): the same requests the
 * typed client sends, without its links, observables and EventSource, which cost the bench ~4 ms
 * of CPU per round trip on the runtime's two cores. Set-up still goes through the typed client.
 */

/** Keep-alive sockets shared by every lean request of this process. */
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

/** Where the runtime listens and the token to send. */
export interface LeanTarget {
  readonly url: string;
  readonly token: string;
}

/** POSTs a mutation's input to `/trpc/<path>`; resolves with its `result.data`. */
export function leanMutate(target: LeanTarget, path: string, input: unknown): Promise<unknown> {
  const body = JSON.stringify(input);
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${target.url}/trpc/${path}`,
      {
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${target.token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (response.statusCode !== 200) {
            reject(new Error(`${path} answered ${response.statusCode}: ${text.slice(0, 300)}`));
            return;
          }
          resolve((JSON.parse(text) as { result: { data: unknown } }).result.data);
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * Follows `sessions.events` of one session from its first event: calls `onEvent` with each event
 * as its frame arrives. Returns a function that closes the stream.
 */
export function leanSessionEvents(
  target: LeanTarget,
  sessionId: string,
  onEvent: (event: SessionEvent) => void,
  onError: (error: Error) => void,
): () => void {
  const input = encodeURIComponent(JSON.stringify({ sessionId, lastEventId: null }));
  let closed = false;
  const request = http.get(
    `${target.url}/trpc/sessions.events?input=${input}`,
    { headers: { authorization: `Bearer ${target.token}`, accept: 'text/event-stream' } },
    (response) => {
      if (response.statusCode !== 200) {
        onError(new Error(`sessions.events answered ${response.statusCode}`));
        response.resume();
        return;
      }
      response.setEncoding('utf8');
      let buffer = '';
      response.on('data', (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          dispatchFrame(frame, onEvent, onError);
        }
      });
      response.on('end', () => {
        if (!closed) onError(new Error('sessions.events ended'));
      });
    },
  );
  request.on('error', (error) => {
    if (!closed) onError(error);
  });
  return () => {
    closed = true;
    request.destroy();
  };
}

/** Hands a frame's event on: a frame without an `event:` field is data; the rest are control. */
function dispatchFrame(
  frame: string,
  onEvent: (event: SessionEvent) => void,
  onError: (error: Error) => void,
): void {
  let kind: string | null = null;
  let data = '';
  for (const line of frame.split('\n')) {
    if (line.startsWith('data: ')) data += line.slice(6);
    else if (line.startsWith('event: ')) kind = line.slice(7);
  }
  if (kind === null && data !== '') onEvent(JSON.parse(data) as SessionEvent);
  else if (kind === 'serialized-error') onError(new Error(`sessions.events failed: ${data}`));
}
