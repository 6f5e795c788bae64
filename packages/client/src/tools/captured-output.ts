import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/** The start of a stream's output, kept up to a byte limit. */
export interface CapturedOutput {
  /** What was kept, as UTF-8 text (a character cut in half by the limit is dropped). */
  readonly text: () => string;
  /** Whether bytes beyond the limit were dropped. */
  readonly truncated: () => boolean;
}

/**
 * Keeps the first `limitBytes` bytes `stream` emits and drops the rest — still reading it, so a
 * chatty process never blocks on a full pipe.
 */
export function captureOutput(stream: Readable, limitBytes: number): CapturedOutput {
  const chunks: Buffer[] = [];
  let kept = 0;
  let truncated = false;
  stream.on('data', (chunk: Buffer) => {
    const room = limitBytes - kept;
    if (chunk.length > room) truncated = true;
    if (room <= 0) return;
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    chunks.push(part);
    kept += part.length;
  });
  return {
    text: () => {
      const bytes = Buffer.concat(chunks);
      // A decoder's `write` holds back an incomplete last character instead of mangling it.
      return truncated ? new StringDecoder('utf8').write(bytes) : bytes.toString('utf8');
    },
    truncated: () => truncated,
  };
}
