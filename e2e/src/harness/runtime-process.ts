import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { CHILD_PATH } from './env';
import { RUNTIME_MAIN } from './runtime-bundle';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A runtime started as its own process, as users start it. */
export interface RuntimeProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Every log line it printed (pino JSON), for assertions and for failure reports. */
  readonly logs: string[];
  /** Waits for the first log line `matches` accepts (already printed or to come). */
  waitForLog(
    matches: (entry: Record<string, unknown>) => boolean,
  ): Promise<Record<string, unknown>>;
  /** SIGKILL: no shutdown, no cleanup — a crash. */
  kill(): Promise<void>;
  /** SIGTERM and wait for a clean exit. */
  stop(): Promise<void>;
}

/**
 * Starts the runtime as `npm start` does — its bundle, which the global setups build — with `env`
 * (on a free port unless BATON_PORT is given) and resolves once it listens. Rejects with its
 * output if it exits first.
 */
export function startRuntimeProcess(env: Record<string, string>): Promise<RuntimeProcess> {
  const child = spawn(process.execPath, [RUNTIME_MAIN], {
    cwd: REPO_ROOT,
    env: { PATH: CHILD_PATH, BATON_PORT: '0', BATON_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const waiters: {
    matches: (e: Record<string, unknown>) => boolean;
    resolve: (e: Record<string, unknown>) => void;
  }[] = [];
  const parse = (line: string): Record<string, unknown> | null => {
    try {
      const value: unknown = JSON.parse(line);
      return typeof value === 'object' && value !== null
        ? (value as Record<string, unknown>)
        : null;
    } catch {
      return null;
    }
  };
  const onLine = (line: string): void => {
    logs.push(line);
    const entry = parse(line);
    if (!entry) return;
    for (const waiter of [...waiters]) {
      if (waiter.matches(entry)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(entry);
      }
    }
  };
  createInterface({ input: child.stdout }).on('line', onLine);
  createInterface({ input: child.stderr }).on('line', (line) => logs.push(line));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const waitForLog: RuntimeProcess['waitForLog'] = (matches) => {
    const seen = logs.map(parse).find((entry) => entry && matches(entry));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => waiters.push({ matches, resolve }));
  };

  return new Promise((resolve, reject) => {
    const onExit = (code: number | null): void =>
      reject(new Error(`the runtime exited (${code}) before listening:\n${logs.join('\n')}`));
    child.once('exit', onExit);
    void waitForLog((entry) => entry['msg'] === 'Baton runtime listening').then((entry) => {
      child.off('exit', onExit);
      resolve({
        url: String(entry['url']),
        child,
        logs,
        waitForLog,
        async kill() {
          child.kill('SIGKILL');
          await exited;
        },
        async stop() {
          child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}
