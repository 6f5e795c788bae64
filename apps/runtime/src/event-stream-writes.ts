import type http from 'node:http';

/** Whether `res` is an event stream (SSE). */
export const isEventStream = (res: http.ServerResponse): boolean =>
  String(res.getHeader('content-type') ?? '').startsWith('text/event-stream');

const NEWLINE = 0x0a;

/** The socket-side write of each response {@link writeFramesByTick} wraps, past its grouping. */
const directWrites = new WeakMap<http.ServerResponse, (text: string) => boolean>();

/**
 * Has an event stream's response write whole SSE frames only, and those of one tick together.
 * tRPC writes a frame in pieces (its `event:`, `data:` and `id:` lines, then the blank line that
 * ends it), each a system call of its own, and a commit hands a follower several events at once.
 * Held until the frame's blank line, and then until the end of the tick, a commit's frames go
 * out in one write per connection; and since only whole frames are written, a stream ended at
 * any moment — a slow client holding a write back included — ends between two frames.
 * Backpressure still reaches tRPC: while a write is not drained, its writes answer `false`.
 */
export function writeFramesByTick(res: http.ServerResponse): void {
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => http.ServerResponse;
  let frame: Buffer[] = [];
  let ready: Buffer[] = [];
  let scheduled: NodeJS.Immediate | null = null;
  let congested = false;
  res.on('drain', () => (congested = false));

  const flush = (): void => {
    if (scheduled) clearImmediate(scheduled);
    scheduled = null;
    if (ready.length === 0) return;
    const out = ready.length === 1 ? (ready[0] as Buffer) : Buffer.concat(ready);
    ready = [];
    if (!write(out)) congested = true;
  };
  const endsFrame = (bytes: Buffer): boolean => {
    const n = bytes.length;
    if (n === 0 || bytes[n - 1] !== NEWLINE) return false;
    if (n > 1) return bytes[n - 2] === NEWLINE;
    const before = frame.at(-2);
    return before !== undefined && before[before.length - 1] === NEWLINE;
  };

  directWrites.set(res, (text) => {
    flush();
    return write(text);
  });

  res.write = ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    if (rest.length > 0 || !isEventStream(res)) {
      flush();
      return write(chunk, ...rest);
    }
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk);
    frame.push(bytes);
    if (endsFrame(bytes)) {
      ready.push(frame.length === 1 ? bytes : Buffer.concat(frame));
      frame = [];
      scheduled ??= setImmediate(flush);
    }
    return !congested;
  }) as typeof res.write;
  res.end = ((...args: unknown[]) => {
    flush();
    return end(...args);
  }) as typeof res.end;
}

/**
 * Whole SSE frames, of one tick in one write, for a producer that writes frames whole itself (the
 * lean event stream): what {@link writeFramesByTick} does for tRPC's pieces, without their copies.
 */
export interface TickWriter {
  /** Holds whole frames; those added in one tick go out together, at its end. */
  add(frames: string): void;
  /** Whether the socket has not taken the last write yet: the producer waits for `drained()`. */
  readonly congested: boolean;
  /** Resolves when the socket takes more (or the response is closed). */
  drained(): Promise<void>;
  /** Writes what is held and ends the response; frames added after are dropped. */
  end(): void;
}

/** A {@link TickWriter} of `res`, past {@link writeFramesByTick}'s grouping when it has one. */
export function writeTicks(res: http.ServerResponse): TickWriter {
  const write = directWrites.get(res) ?? ((text: string) => res.write(text));
  let held = '';
  let scheduled: NodeJS.Immediate | null = null;
  let congested = false;
  let wake: (() => void) | null = null;
  let waiting: Promise<void> | null = null;
  let ended = false;
  // Heard whenever it comes: the socket may drain before the producer next asks.
  const drained = (): void => {
    congested = false;
    waiting = null;
    wake?.();
    wake = null;
  };
  res.on('drain', drained);
  res.once('close', drained);

  const flush = (): void => {
    scheduled = null;
    const text = held;
    held = '';
    if (!write(text)) congested = true;
  };
  return {
    add(frames) {
      if (ended) return;
      held += frames;
      scheduled ??= setImmediate(flush);
    },
    get congested() {
      return congested;
    },
    drained() {
      if (!congested) return Promise.resolve();
      waiting ??= new Promise<void>((resolve) => (wake = resolve));
      return waiting;
    },
    end() {
      if (ended) return;
      ended = true;
      if (scheduled) clearImmediate(scheduled);
      scheduled = null;
      // Written before the end, not with it: an answer ended at once stays chunked, as tRPC's.
      if (held !== '') flush();
      res.end();
    },
  };
}
