import { realpath } from 'node:fs/promises';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { executeTool } from './execute-tool';
import { errorOf, makeTempWorkspace, resultOf, type TempWorkspace } from './testing/temp-workspace';

let ws: TempWorkspace;
beforeEach(async () => {
  ws = await makeTempWorkspace();
  await ws.put('sub/file.txt', 'hello\n');
});
afterEach(async () => {
  await ws.remove();
});

interface CommandRun {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  truncated: boolean;
}

async function run(args: Record<string, unknown>, signal?: AbortSignal): Promise<CommandRun> {
  return resultOf<CommandRun>(await executeTool(ws, 'execute_command', args, { signal }));
}

describe('execute_command', () => {
  it('returns the exit code and output of a command that succeeds', async () => {
    expect(await run({ command: 'cat sub/file.txt' })).toEqual({
      exitCode: 0,
      signal: null,
      stdout: 'hello\n',
      stderr: '',
      timedOut: false,
      truncated: false,
    });
  });

  it('returns a non-zero exit and stderr as a result, not an error', async () => {
    const result = await run({ command: 'echo oops >&2; exit 3' });
    expect(result).toMatchObject({ exitCode: 3, stdout: '', stderr: 'oops\n' });
  });

  it('reports the signal that ended the command', async () => {
    const result = await run({ command: 'kill -TERM $$' });
    expect(result).toMatchObject({ exitCode: null, signal: 'SIGTERM', timedOut: false });
  });

  it('runs in the workspace folder by default, and in cwd when given', async () => {
    const root = await realpath(ws.root);
    expect((await run({ command: 'pwd' })).stdout).toBe(`${root}\n`);
    expect((await run({ command: 'pwd', cwd: 'sub' })).stdout).toBe(`${path.join(root, 'sub')}\n`);
  });

  it('refuses a cwd outside the workspace', async () => {
    const outcome = await executeTool(ws, 'execute_command', { command: 'pwd', cwd: '../' });
    expect(errorOf(outcome)).toMatch(/climbs out of the workspace/);
  });

  it('refuses a cwd that is a file or does not exist', async () => {
    const onFile = await executeTool(ws, 'execute_command', {
      command: 'pwd',
      cwd: 'sub/file.txt',
    });
    expect(errorOf(onFile)).toMatch(/is a file; give the folder/);
    const missing = await executeTool(ws, 'execute_command', { command: 'pwd', cwd: 'nope' });
    expect(errorOf(missing)).toBe('"nope" does not exist.');
  });

  it('gives the command an empty stdin, so a read does not wait for input', async () => {
    expect(await run({ command: 'cat' })).toMatchObject({ exitCode: 0, stdout: '' });
  });

  it('kills a command that outlives timeoutMs and says it timed out', async () => {
    const started = Date.now();
    const result = await run({ command: 'sleep 30', timeoutMs: 200 });
    expect(result).toMatchObject({ timedOut: true, exitCode: null, signal: 'SIGKILL' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('kills the whole process group on timeout, background children included', async () => {
    // The background sleep holds the output pipe: the call returns only once it is dead too.
    const started = Date.now();
    const result = await run({ command: 'sleep 30 & sleep 30', timeoutMs: 200 });
    expect(result.timedOut).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('uses the workspace default timeout when the call names none', async () => {
    const outcome = await executeTool({ root: ws.root, commandTimeoutMs: 200 }, 'execute_command', {
      command: 'sleep 30',
    });
    expect(resultOf(outcome)).toMatchObject({ timedOut: true });
  });

  it('keeps 64 KiB of a 1 MB output and marks it truncated', async () => {
    const result = await run({ command: "head -c 1000000 /dev/zero | tr '\\0' a" });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('a'.repeat(64 * 1024));
    expect(result.truncated).toBe(true);
  });

  it('applies the workspace output limit to each stream', async () => {
    const outcome = await executeTool({ root: ws.root, outputLimitBytes: 10 }, 'execute_command', {
      command: 'printf 0123456789AB; printf short >&2',
    });
    expect(resultOf(outcome)).toMatchObject({
      stdout: '0123456789',
      stderr: 'short',
      truncated: true,
    });
  });

  it('kills a running command when the caller aborts, and answers with an error', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const pending = executeTool(
      ws,
      'execute_command',
      { command: 'sleep 30' },
      {
        signal: controller.signal,
      },
    );
    setTimeout(() => controller.abort(), 100);
    expect(errorOf(await pending)).toMatch(/execute_command was cancelled/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('does not start a command whose call was aborted while it was being prepared', async () => {
    const controller = new AbortController();
    const pending = executeTool(
      ws,
      'execute_command',
      { command: 'touch started' },
      { signal: controller.signal },
    );
    controller.abort();
    expect(errorOf(await pending)).toMatch(/cancelled/);
    const listing = resultOf(await executeTool(ws, 'list_files', { path: '.' }));
    expect(listing).toMatchObject({ entries: [{ path: 'sub' }] });
  });
});
