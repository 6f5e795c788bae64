import { EventEmitter } from 'node:events';
import type http from 'node:http';
import { setImmediate as nextTick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { writeFramesByTick, writeTicks } from './event-stream-writes';

/** A response that records its writes, as the socket would receive them. */
function recordingResponse(contentType: string, accepts = true) {
  const writes: string[] = [];
  const res = Object.assign(new EventEmitter(), {
    getHeader: () => contentType,
    write: (chunk: string | Uint8Array) => {
      writes.push(Buffer.from(chunk).toString());
      return accepts;
    },
    ended: false,
    end: () => {
      res.ended = true;
      return res;
    },
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

describe('whole frames written by tick', () => {
  it('go out in one write at the end of the tick, past the grouping of pieces', async () => {
    const { res, writes } = recordingResponse('text/event-stream');
    const out = writeTicks(res);
    out.add('data: 1\nid: 1\n\n\n');
    out.add('data: 2\nid: 2\n\n\n');
    expect(writes).toEqual([]);
    await nextTick();
    expect(writes).toEqual(['data: 1\nid: 1\n\n\ndata: 2\nid: 2\n\n\n']);
  });

  it('are written before the end, and none after it', () => {
    const { res, writes } = recordingResponse('text/event-stream');
    const out = writeTicks(res);
    out.add('event: return\ndata: \n\n\n');
    out.end();
    out.add('data: late\n\n\n');
    expect(writes).toEqual(['event: return\ndata: \n\n\n']);
    expect((res as unknown as { ended: boolean }).ended).toBe(true);
  });

  it('tell the producer to wait while the socket does not take more, until it drains', async () => {
    const { res } = recordingResponse('text/event-stream', false);
    const out = writeTicks(res);
    out.add('data: 1\n\n\n');
    expect(out.congested).toBe(false);
    await nextTick();
    expect(out.congested).toBe(true);
    const drained = out.drained();
    res.emit('drain');
    await drained;
    expect(out.congested).toBe(false);
  });

  it('are not held back by a drain that came before the producer asked', async () => {
    const { res } = recordingResponse('text/event-stream', false);
    const out = writeTicks(res);
    out.add('data: 1\n\n\n');
    await nextTick();
    expect(out.congested).toBe(true);
    res.emit('drain');
    expect(out.congested).toBe(false);
    await out.drained();
  });
});
