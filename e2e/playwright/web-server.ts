import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { CHILD_PATH } from '../src/harness/env';

/** The dashboard's workspace folder. */
export const WEB_DIR = fileURLToPath(new URL('../../apps/web/', import.meta.url));

/** The `next` CLI the dashboard depends on. */
export const NEXT_BIN = createRequire(`${WEB_DIR}package.json`).resolve('next/dist/bin/next');

/** A `next start` of the dashboard. */
export interface WebServer {
  readonly url: string;
  readonly output: string[];
  stop(): Promise<void>;
}

/** A TCP port free right now on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/**
 * Starts the built dashboard (`next start`) on a free port against `runtimeUrl`, and resolves once
 * it says it is ready. Rejects with its output if it exits first.
 */
export async function startWebServer(runtimeUrl: string): Promise<WebServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [NEXT_BIN, 'start', '-p', String(port), '-H', '127.0.0.1'],
    {
      cwd: WEB_DIR,
      env: {
        PATH: CHILD_PATH,
        BATON_RUNTIME_URL: runtimeUrl,
        NEXT_TELEMETRY_DISABLED: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const output: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      output.push(text);
      if (/Ready in/i.test(text)) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.once('exit', (code) =>
      reject(new Error(`next start exited (${code}) before it was ready:\n${output.join('')}`)),
    );
  });
  return {
    url: `http://127.0.0.1:${port}`,
    output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
