import type { ChildProcess } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { benchEnv } from './env';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = fileURLToPath(new URL('../../apps/runtime/dist/bin/main.mjs', import.meta.url));
const BUNDLE = fileURLToPath(new URL('../../apps/runtime/scripts/bundle.mjs', import.meta.url));

/** Bundles the runtime from its sources, as `npm start` does before it starts it. */
export function bundleRuntime(): void {
  const result = spawnSync(process.execPath, [BUNDLE], {
    stdio: 'inherit',
    env: { PATH: benchEnv.path },
  });
  if (result.status !== 0) throw new Error(`bundling the runtime failed (${result.status})`);
}

/** The runtime under test, as its own process. */
export interface BenchRuntime {
  readonly url: string;
  readonly child: ChildProcess;
  /** Its stderr and stdout (warn level and above), for when it fails. */
  readonly output: string[];
  /** SIGTERM and wait for a clean exit (which also flushes its backends' pg_stat counters). */
  stop(): Promise<void>;
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

/**
 * Starts the runtime as `npm start` does — its bundle, built by {@link bundleRuntime} — with
 * `env` on a free port and resolves once `/healthz` answers. The e2e harness waits for the info-level "listening" line instead, which a runtime at
 * BATON_LOG_LEVEL=warn never prints; hence this small copy.
 */
export async function startBenchRuntime(env: Record<string, string>): Promise<BenchRuntime> {
  const port = await freePort();
  const child = spawn(process.execPath, [...benchEnv.nodeArgs, MAIN], {
    cwd: REPO_ROOT,
    env: { PATH: benchEnv.path, BATON_PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 600; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`the runtime exited:\n${output.join('')}`);
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) {
      return {
        url,
        child,
        output,
        async stop() {
          child.kill('SIGTERM');
          await exited;
        },
      };
    }
    await delay(100);
  }
  child.kill('SIGKILL');
  throw new Error(`the runtime did not answer /healthz within 60 s:\n${output.join('')}`);
}

/** The resident set size of process `pid` in MB (VmRSS), or null if it cannot be read. */
export function readRssMb(pid: number): number | null {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Samples `pid`'s RSS every second; `stop()` returns the largest sample (MB). */
export function sampleRss(pid: number): { stop(): number | null } {
  let max: number | null = readRssMb(pid);
  const timer = setInterval(() => {
    const rss = readRssMb(pid);
    if (rss !== null) max = Math.max(max ?? 0, rss);
  }, 1000);
  return {
    stop() {
      clearInterval(timer);
      return max;
    },
  };
}

/** The CPU time (user + system, ms) process `pid` has used so far, or null if unreadable. */
export function readCpuMs(pid: number): number | null {
  try {
    // Fields 14 and 15 of /proc/<pid>/stat, after the parenthesised command name.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Linux's USER_HZ, the unit of /proc/<pid>/stat times (100 on every mainstream build). */
const CLOCK_TICKS_PER_SECOND = 100;
