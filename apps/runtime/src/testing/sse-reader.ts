import http from 'node:http';

/** tRPC ends every SSE frame with its fields' lines and then two newlines more. */
const FRAME_END = '\n\n\n';

/** An answer to a GET, read as an event stream as it comes (tests). */
export interface SseReply {
  readonly status: number;
  /** The headers as sent, in their order, without `date` (which changes by the second). */
  readonly headers: readonly [string, string][];
  /** The whole frames so far, each as sent (with its ending). */
  readonly frames: readonly string[];
  /** The body so far, frames and any rest (an answer that is no event stream is all rest). */
  text(): string;
  /** Resolves once a frame `matches` accepts has come (at once if one has). */
  until(matches: (frame: string) => boolean): Promise<void>;
  /** Resolves once the response is over: `complete` when its closing chunk came (not a cut). */
  readonly ended: Promise<{ readonly complete: boolean }>;
  /** Closes the connection (the client leaves). */
  close(): void;
}

/** Sends a GET to `url` and resolves once the answer's head is in. */
export function getSse(url: string, headers: Record<string, string> = {}): Promise<SseReply> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers, agent: false });
    request.once('error', reject);
    request.once('response', (response) => {
      let text = '';
      const frames: string[] = [];
      const waiters = new Set<{
        matches: (frame: string) => boolean;
        resolve: () => void;
        reject: (error: Error) => void;
      }>();
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
        for (let end = text.indexOf(FRAME_END); end !== -1; end = text.indexOf(FRAME_END)) {
          const frame = text.slice(0, end + FRAME_END.length);
          text = text.slice(end + FRAME_END.length);
          frames.push(frame);
          for (const waiter of waiters) {
            if (waiter.matches(frame)) {
              waiters.delete(waiter);
              waiter.resolve();
            }
          }
        }
      });
      const ended = new Promise<{ complete: boolean }>((done) => {
        response.once('close', () => {
          done({ complete: response.complete });
          const error = new Error(`the stream ended before the frame awaited: ${frames.join('')}`);
          for (const waiter of waiters) waiter.reject(error);
        });
      });
      // Errors after the head (a cut connection) show as an incomplete end.
      request.on('error', () => undefined);
      const headers: [string, string][] = [];
      for (let i = 0; i < response.rawHeaders.length; i += 2) {
        const name = response.rawHeaders[i]?.toLowerCase() ?? '';
        if (name !== 'date') headers.push([name, response.rawHeaders[i + 1] ?? '']);
      }
      resolve({
        status: response.statusCode ?? 0,
        headers,
        frames,
        text: () => frames.join('') + text,
        until(matches) {
          if (frames.some(matches)) return Promise.resolve();
          return new Promise((found, failed) => {
            waiters.add({ matches, resolve: found, reject: failed });
          });
        },
        ended,
        close: () => request.destroy(),
      });
    });
  });
}

/** Whether a frame is a ping, which tRPC sends on a timer (timing alone decides if one comes). */
export const isPing = (frame: string): boolean => frame.startsWith('event: ping\n');

/** Whether a frame carries the event with this id. */
export const hasId =
  (id: string) =>
  (frame: string): boolean =>
    frame.includes(`\nid: ${id}\n`);
