import { spawn } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { CHILD_PATH } from './env';
import { RUNTIME_MAIN } from './runtime-bundle';

/**
 * For the scenarios of a runtime's life itself — starts that must fail, stops that must drain —
 * what the process harness does not give: a run to its exit, and an event stream read as bytes.
 */

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** How a runtime process ended and what it printed. */
export interface RuntimeExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the runtime's bundle with `env` (port 0 unless given) until it exits: a start expected to
 * fail. One that is still running after `boundMs` is killed, so a start that hangs fails the
 * test rather than holding it.
 */
export function runUntilExit(env: Record<string, string>, boundMs = 60_000): Promise<RuntimeExit> {
  const child = spawn(process.execPath, [RUNTIME_MAIN], {
    cwd: REPO_ROOT,
    env: { PATH: CHILD_PATH, BATON_PORT: '0', BATON_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const bound = setTimeout(() => child.kill('SIGKILL'), boundMs);
  return new Promise((resolve) => {
    child.once('close', (code, signal) => {
      clearTimeout(bound);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** The tokens a first start printed in `output`, or null when it printed none. */
export function printedTokens(output: string): { operator: string; client: string } | null {
  const operator = /operator \(dashboard\): (baton_\S+)/.exec(output)?.[1];
  const client = /client \(IDE, CLI\): +(baton_\S+)/.exec(output)?.[1];
  return operator && client ? { operator, client } : null;
}

/** `sessions.events` read as raw SSE over its own connection. */
export interface RawEventStream {
  /** The body received so far. */
  text(): string;
  /** Resolves once the body holds a frame `matches` accepts. */
  waitForFrame(matches: (frame: string) => boolean): Promise<void>;
  /**
   * How the response ended: `end` when its body ended properly (the closing chunk came), `cut`
   * when the connection was lost first.
   */
  readonly ended: Promise<{ how: 'end' | 'cut'; at: number }>;
}

/** Subscribes to a session's events on `url` and records the raw body. */
export function rawSessionEvents(url: string, token: string, sessionId: string): RawEventStream {
  let body = '';
  const waiters: { matches: (frame: string) => boolean; resolve: () => void }[] = [];
  const frames = (): string[] => body.split('\n\n').slice(0, -1);
  const check = (): void => {
    for (const waiter of [...waiters]) {
      if (frames().some(waiter.matches)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };
  const input = encodeURIComponent(JSON.stringify({ sessionId }));
  const ended = new Promise<{ how: 'end' | 'cut'; at: number }>((resolve) => {
    const request = http.get(`${url}/trpc/sessions.events?input=${input}`, {
      agent: false,
      headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` },
    });
    request.on('error', () => resolve({ how: 'cut', at: Date.now() }));
    request.on('response', (response) => {
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
        check();
      });
      response.on('end', () => resolve({ how: 'end', at: Date.now() }));
      response.on('error', () => resolve({ how: 'cut', at: Date.now() }));
      response.on('close', () =>
        resolve({ how: response.complete ? 'end' : 'cut', at: Date.now() }),
      );
    });
  });
  return {
    text: () => body,
    waitForFrame(matches) {
      if (frames().some(matches)) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ matches, resolve }));
    },
    ended,
  };
}
