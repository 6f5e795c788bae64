import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpDrain } from './drain';
import { createHttpDrain } from './drain';

/**
 * A server behind the drain: `/slow` starts its answer at once and ends it when told to; `/stream` is an event stream that
 * writes one frame in pieces, as tRPC does, then the first piece of a second, and ends when its
 * request is aborted (as tRPC's does); anything else answers at once.
 */
function serve() {
  let answerSlow = (): void => undefined;
  let slowArrived = (): void => undefined;
  const slowInFlight = new Promise<void>((resolve) => (slowArrived = resolve));
  let fastArrived = (): void => undefined;
  const fastReceived = new Promise<void>((resolve) => (fastArrived = resolve));
  const server = http.createServer((req, res) => {
    if (req.url === '/fast') fastArrived();
    if (!drain.admit(req, res)) return;
    if (req.url === '/slow') {
      // Its head is out already (kept alive), its body comes when told.
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('slow ');
      answerSlow = () => res.end('done');
      slowArrived();
    } else if (req.url === '/stream') {
      // Headers set one by one, as tRPC sets them.
      res.setHeader('content-type', 'text/event-stream');
      for (const piece of ['event: message\n', 'data: 1\n', 'id: 1\n', '\n\n', 'data: 2\n']) {
        res.write(new TextEncoder().encode(piece));
      }
      req.once('aborted', () => res.end());
    } else {
      res.end('fast done');
    }
  });
  const drain: HttpDrain = createHttpDrain(server);
  return { server, drain, slowInFlight, fastReceived, answerSlow: () => answerSlow() };
}

let server: http.Server | null = null;
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
});

async function listening(s: ReturnType<typeof serve>): Promise<number> {
  server = s.server;
  await new Promise<void>((resolve) => s.server.listen(0, '127.0.0.1', resolve));
  return (s.server.address() as AddressInfo).port;
}

/** A raw connection: what it received, and a promise of its end. */
function connect(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  let received = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const request = (path: string) => socket.write(`GET ${path} HTTP/1.1\r\nHost: test\r\n\r\n`);
  return { socket, request, received: () => received, closed };
}

describe('the HTTP drain', () => {
  it('answers 503 and closes the connection for a request that arrives while draining, and lets the one in flight finish', async () => {
    const s = serve();
    const port = await listening(s);
    const client = connect(port);
    client.request('/slow');
    await s.slowInFlight;
    const drained = s.drain.drain(60_000);
    // Pipelined behind the request in flight: it reaches the server during the drain.
    client.request('/fast');
    await s.fastReceived;
    s.answerSlow();
    await client.closed;
    await drained;
    const [first, second] = client.received().split(/(?=HTTP\/1\.1 )/);
    expect(first).toMatch(/^HTTP\/1\.1 200 [\s\S]*slow [\s\S]*done[\s\S]*0\r\n\r\n$/);
    expect(second).toMatch(/^HTTP\/1\.1 503 /);
    expect(second).toMatch(/connection: close/i);
    expect(JSON.parse(second?.split('\r\n\r\n')[1] ?? '')).toMatchObject({
      status: 'draining',
      error: { data: { code: 'SERVICE_UNAVAILABLE', httpStatus: 503 } },
    });
  });

  it('refuses new connections once draining', async () => {
    const s = serve();
    const port = await listening(s);
    await s.drain.drain(60_000);
    const refused = await new Promise<string>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => resolve('connected'));
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
  });

  it('ends an event stream between two frames, with the closing chunk of its body', async () => {
    const s = serve();
    const port = await listening(s);
    const body = await new Promise<{ text: string; complete: boolean }>((resolve, reject) => {
      const request = http.get(`http://127.0.0.1:${port}/stream`, { agent: false }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
          // The first frame is in: drain now, the second one half written.
          if (text.includes('\n\n')) void s.drain.drain(60_000);
        });
        res.on('close', () => resolve({ text, complete: res.complete }));
      });
      request.on('error', reject);
    });
    expect(body).toEqual({ text: 'event: message\ndata: 1\nid: 1\n\n\n', complete: true });
  });

  it('cuts the connections left once the drain time is over', async () => {
    const s = serve();
    const port = await listening(s);
    const client = connect(port);
    client.request('/slow');
    await s.slowInFlight;
    await s.drain.drain(50);
    await client.closed;
    // Cut: the body began, and never got its closing chunk.
    expect(client.received()).toMatch(/slow /);
    expect(client.received()).not.toMatch(/0\r\n\r\n$/);
  });
});
