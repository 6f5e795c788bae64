import { spawn } from 'node:child_process';

import { captureOutput } from './captured-output';

/** How a shell command ended. */
export interface ShellRun {
  readonly exitCode: number | null;
  /** The signal that ended it, e.g. `SIGKILL` after a timeout. */
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  readonly aborted: boolean;
  /** Whether stdout or stderr went over the limit and was cut. */
  readonly truncated: boolean;
}

const NOT_RUN: ShellRun = {
  exitCode: null,
  signal: null,
  stdout: '',
  stderr: '',
  timedOut: false,
  aborted: false,
  truncated: false,
};

/** Where and how long a shell command may run. */
export interface ShellRunOptions {
  readonly cwd: string;
  readonly timeoutMs: number;
  readonly outputLimitBytes: number;
  readonly signal: AbortSignal | undefined;
}

/**
 * Runs `command` with `/bin/sh -c` in `cwd`, stdin closed, in its own process group so that a
 * timeout or an abort kills the whole group (SIGKILL), not just the shell. Resolves when the
 * output pipes close — a background child that keeps them open holds the call until it exits or
 * the timeout strikes. Rejects only when the shell cannot be started.
 */
export function runShellCommand(command: string, options: ShellRunOptions): Promise<ShellRun> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      // An abort listener added now would never fire: answer without starting anything.
      resolve({ ...NOT_RUN, aborted: true });
      return;
    }
    const child = spawn('/bin/sh', ['-c', command], {
      cwd: options.cwd,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout = captureOutput(child.stdout, options.outputLimitBytes);
    const stderr = captureOutput(child.stderr, options.outputLimitBytes);
    let timedOut = false;
    let aborted = false;
    const killGroup = (): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch (_alreadyGone) {
        // ESRCH: every process of the group has ended already.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, options.timeoutMs);
    const onAbort = (): void => {
      aborted = true;
      killGroup();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const settle = (): void => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    child.once('error', (error) => {
      settle();
      reject(error);
    });
    child.once('close', (exitCode, signal) => {
      settle();
      resolve({
        exitCode,
        signal,
        stdout: stdout.text(),
        stderr: stderr.text(),
        timedOut,
        aborted,
        truncated: stdout.truncated() || stderr.truncated(),
      });
    });
  });
}
