import { describe, expect, it } from 'vitest';
import { endingCleanly } from './event-stream-body';

const encoder = new TextEncoder();

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  let text = '';
  const decoder = new TextDecoder();
  const reader = stream.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    text += decoder.decode(read.value);
  }
  return text;
}

describe('an event stream passed through to the browser', () => {
  it('passes every chunk on and ends when the runtime ends it', async () => {
    const upstream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode('id: 1\ndata: {}\n\n'));
        controller.close();
      },
    });
    expect(await readAll(endingCleanly(upstream))).toBe('id: 1\ndata: {}\n\n');
  });

  it('ends cleanly, after what arrived, when the runtime breaks off', async () => {
    const chunks = ['id: 1\ndata: {}\n\n', 'id: 2\nda'];
    const upstream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = chunks.shift();
        if (chunk) controller.enqueue(encoder.encode(chunk));
        else controller.error(new Error('socket hang up'));
      },
    });
    // The browser drops the half event when the stream ends.
    expect(await readAll(endingCleanly(upstream))).toBe('id: 1\ndata: {}\n\nid: 2\nda');
  });

  it('stops reading the runtime when the browser goes away', async () => {
    let cancelled: unknown = null;
    const upstream = new ReadableStream<Uint8Array>({
      cancel(reason) {
        cancelled = reason;
      },
    });
    await endingCleanly(upstream).cancel('tab closed');
    expect(cancelled).toBe('tab closed');
  });
});
