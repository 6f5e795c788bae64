import http from 'node:http';

/**
 * A tRPC subscription read as raw server-sent events, below the typed client (which reconnects
 * and hides how a stream ended): every frame the runtime sent, and how the response ended.
 */

/** One SSE frame: its `event:` (`message` when none), `id:` and `data:` lines. */
export interface Frame {
  readonly event: string;
  readonly id: string | null;
  readonly data: string;
}

/** A subscription being read. */
export interface RawStream {
  /** Every frame received so far, in order. */
  readonly frames: readonly Frame[];
  /** Resolves with the first frame `matches` accepts (received already or to come). */
  until(matches: (frame: Frame) => boolean): Promise<Frame>;
  /**
   * Resolves with every frame once the stream is over: after a `serialized-error` frame, or
   * when the runtime ends the response.
   */
  readonly ended: Promise<readonly Frame[]>;
  close(): void;
}

/** The data frames (`message`) of `frames`, parsed. */
export function dataOf<T = unknown>(frames: readonly Frame[]): T[] {
  return frames.filter((f) => f.event === 'message').map((f) => JSON.parse(f.data) as T);
}

/** The tRPC error a stream ended with: its code and message. */
export function streamError(frames: readonly Frame[]): { code: string; message: string } {
  const last = frames.at(-1);
  if (last?.event !== 'serialized-error') {
    throw new Error(`the stream did not end with an error (last frame: ${JSON.stringify(last)})`);
  }
  const error = JSON.parse(last.data) as { message: string; data: { code: string } };
  return { code: error.data.code, message: error.message };
}

/**
 * Opens the subscription `path` with `input` on the runtime at `url`. The token goes in the
 * `Authorization` header, or with `tokenInUrl` in `?connectionParams=` as a browser's
 * EventSource has to send it.
 */
export function openRawStream(
  url: string,
  path: string,
  input: unknown,
  auth: { token: string; tokenInUrl?: boolean },
): RawStream {
  const query = new URLSearchParams({ input: JSON.stringify(input) });
  if (auth.tokenInUrl) query.set('connectionParams', JSON.stringify({ token: auth.token }));
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  if (!auth.tokenInUrl) headers['authorization'] = `Bearer ${auth.token}`;

  const frames: Frame[] = [];
  const waiters: { matches: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  let finish!: (frames: readonly Frame[]) => void;
  let fail!: (error: Error) => void;
  const ended = new Promise<readonly Frame[]>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const request = http.get(`${url}/trpc/${path}?${query.toString()}`, { headers });
  const receive = (frame: Frame): void => {
    frames.push(frame);
    for (const waiter of [...waiters]) {
      if (waiter.matches(frame)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(frame);
      }
    }
    if (frame.event === 'serialized-error') {
      request.destroy();
      finish(frames);
    }
  };
  request.on('error', (error) => fail(error));
  request.on('response', (response) => {
    let buffer = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      buffer += chunk;
      const blocks = buffer.split('\n\n');
      buffer = blocks.pop() ?? '';
      for (const block of blocks) {
        const field = (name: string) =>
          block
            .split('\n')
            .find((line) => line.startsWith(`${name}:`))
            ?.slice(name.length + 1)
            .trim();
        receive({
          event: field('event') ?? 'message',
          id: field('id') ?? null,
          data: field('data') ?? '',
        });
      }
    });
    response.on('end', () => finish(frames));
  });
  return {
    frames,
    ended,
    until(matches) {
      const seen = frames.find(matches);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ matches, resolve }));
    },
    close() {
      finish(frames); // first: the reset that destroying causes is not a failure
      request.destroy();
    },
  };
}
