import { EventEmitter } from 'node:events';
import type http from 'node:http';
import { setImmediate as nextTick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { writeFramesByTick } from './event-stream-writes';

/** A response that records its writes, as the socket would receive them. */
function recordingResponse(contentType: string, accepts = true) {
  const writes: string[] = [];
  const res = Object.assign(new EventEmitter(), {
    getHeader: () => contentType,
    write: (chunk: string | Uint8Array) => {
      writes.push(Buffer.from(chunk).toString());
      return accepts;
    },
    end: () => res,
  });
  writeFramesByTick(res as unknown as http.ServerResponse);
  return { res: res as unknown as http.ServerResponse, writes };
}

describe('an event stream’s writes', () => {
  it('go out as whole frames, those of one tick in one write', async () => {
    const { res, writes } = recordingResponse('text/event-stream');
    for (const n of [1, 2, 3]) {
      res.write(`id: ${n}\n`);
      res.write(`data: {"n":${n}}\n`);
      res.write('\n');
    }
    res.write('data: half a frame\n');
    expect(writes).toEqual([]);
    await nextTick();
    expect(writes).toEqual([
      'id: 1\ndata: {"n":1}\n\nid: 2\ndata: {"n":2}\n\nid: 3\ndata: {"n":3}\n\n',
    ]);
    res.write('\n');
    res.end();
    expect(writes.at(-1)).toBe('data: half a frame\n\n');
  });

  it('tell the writer to wait while the socket does not take more', async () => {
    const { res } = recordingResponse('text/event-stream', false);
    expect(res.write('data: 1\n\n')).toBe(true);
    await nextTick();
    expect(res.write('data: 2\n\n')).toBe(false);
    res.emit('drain');
    expect(res.write('data: 3\n\n')).toBe(true);
  });

  it('leave other responses as they are', () => {
    const { res, writes } = recordingResponse('application/json');
    res.write('{"result"');
    expect(writes).toEqual(['{"result"']);
  });
});
