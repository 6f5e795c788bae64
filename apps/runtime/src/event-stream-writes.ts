import type http from 'node:http';

/** Whether `res` is an event stream (SSE). */
export const isEventStream = (res: http.ServerResponse): boolean =>
  String(res.getHeader('content-type') ?? '').startsWith('text/event-stream');

const NEWLINE = 0x0a;

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
