import { stat } from 'node:fs/promises';

import type { ToolArguments, ToolOutcome } from '@baton/domain';

import { abortedError, toolError, toolResult } from './outcome';
import { resolveInWorkspace } from './resolve-in-workspace';
import { runShellCommand } from './run-shell-command';
import type { ToolContext } from './workspace';

/**
 * `execute_command`: runs `command` with `/bin/sh -c` in `cwd` (a folder of the workspace, the
 * workspace itself by default), killed with its whole process group after `timeoutMs` (else the
 * workspace's default) or when the caller aborts. Result:
 * `{ exitCode, signal, stdout, stderr, timedOut, truncated }`; a non-zero exit is a result, not
 * an error. Only the starting folder is confined: the command itself can reach anything its
 * user can.
 */
export async function executeCommand(
  context: ToolContext,
  args: ToolArguments['execute_command'],
): Promise<ToolOutcome> {
  const cwd = await resolveInWorkspace(context.root, args.cwd ?? '.');
  if (!cwd.ok) return toolError(cwd.message);
  if (!(await stat(cwd.absolute)).isDirectory()) {
    return toolError(`cwd "${cwd.relative}" is a file; give the folder to run the command in.`);
  }
  const run = await runShellCommand(args.command, {
    cwd: cwd.absolute,
    timeoutMs: args.timeoutMs ?? context.commandTimeoutMs,
    outputLimitBytes: context.outputLimitBytes,
    signal: context.signal,
  });
  if (run.aborted) return abortedError('execute_command');
  return toolResult({
    exitCode: run.exitCode,
    signal: run.signal,
    stdout: run.stdout,
    stderr: run.stderr,
    timedOut: run.timedOut,
    truncated: run.truncated,
  });
}
