import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corkedSocket, namesOneHost } from './corked-socket';

describe('corkedSocket', () => {
  let server: net.Server;
  let received: Promise<string>;
  beforeAll(async () => {
    let resolve: (text: string) => void = () => undefined;
    received = new Promise((r) => (resolve = r));
    server = net.createServer((peer) => {
      const chunks: Buffer[] = [];
      peer.on('data', (chunk: Buffer) => chunks.push(chunk));
      peer.on('end', () => resolve(Buffer.concat(chunks).toString()));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("holds a tick's writes until the next turn of the event loop, then sends them in order", async () => {
    const { port } = server.address() as net.AddressInfo;
    let writes = 0;
    const socket = corkedSocket({ host: ['127.0.0.1'], port: [port] }, () => (writes += 1));
    await new Promise<void>((r) => socket.once('connect', r));
    socket.write('a'.repeat(2000));
    socket.write('b');
    socket.write('c'.repeat(1500));
    expect(socket.writableCorked).toBe(1);
    await new Promise(setImmediate);
    expect(socket.writableCorked).toBe(0);
    expect(writes).toBe(1);
    socket.write('d');
    expect(socket.writableCorked).toBe(1);
    socket.end();
    expect(await received).toBe(`${'a'.repeat(2000)}b${'c'.repeat(1500)}d`);
  });
});

describe('namesOneHost', () => {
  it('tells a URL of one server from one of several', () => {
    expect(namesOneHost('postgres://u:p@127.0.0.1:5432/db')).toBe(true);
    expect(namesOneHost('postgres://db.example/db?sslmode=require')).toBe(true);
    expect(namesOneHost('postgres://u@a:5432,b:5433/db')).toBe(false);
  });
});
