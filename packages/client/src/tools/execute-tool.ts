import { realpath } from 'node:fs/promises';

import {
  clientToolSchemas,
  isClientTool,
  validateToolArguments,
  type ClientToolName,
  type ToolArguments,
  type ToolOutcome,
} from '@baton/domain';

import { createDirectory } from './create-directory';
import { deleteFile } from './delete-file';
import { executeCommand } from './execute-command';
import { describeSystemError, isSystemError } from './fs-errors';
import { listFiles } from './list-files';
import { moveFile } from './move-file';
import { abortedError, toolError } from './outcome';
import { readFile } from './read-file';
import { searchFiles } from './search-files';
import { writeFile } from './write-file';
import { TOOL_LIMITS, type ToolContext, type Workspace } from './workspace';

/** What the caller of `executeTool` may pass besides the call. */
export interface ExecuteToolOptions {
  /**
   * Aborting it cancels the call: a running command's process group is killed, a running
   * search's worker thread terminated.
   */
  readonly signal?: AbortSignal;
}

type ToolExecutor<N extends ClientToolName> = (
  context: ToolContext,
  args: ToolArguments[N],
) => Promise<ToolOutcome>;

const executors: { readonly [N in ClientToolName]: ToolExecutor<N> } = {
  read_file: readFile,
  write_file: writeFile,
  list_files: listFiles,
  search_files: searchFiles,
  execute_command: executeCommand,
  create_directory: createDirectory,
  delete_file: deleteFile,
  move_file: moveFile,
};

/**
 * Runs the client tool `name` with `args` over `workspace`: validates the arguments with the
 * domain's schemas, confines every path to the workspace folder, and carries the call out.
 *
 * Expected failures — an unknown tool, invalid arguments, a path outside the workspace, a missing
 * file, a folder where a file was expected, an existing destination, a permission refused, a
 * cancelled call — come back as `{ type: 'error', message }` worded for the model; only a bug
 * throws. A command that exits non-zero or times out is a result.
 */
export async function executeTool(
  workspace: Workspace,
  name: string,
  args: unknown,
  options: ExecuteToolOptions = {},
): Promise<ToolOutcome> {
  if (!isClientTool(name)) {
    const known = Object.keys(clientToolSchemas).join(', ');
    return toolError(`"${name}" is not a tool the client runs; its tools are: ${known}.`);
  }
  if (options.signal?.aborted) return abortedError(name);
  let root: string;
  try {
    root = await realpath(workspace.root);
  } catch (error) {
    if (!isSystemError(error)) throw error;
    return toolError(`The workspace folder ${workspace.root} cannot be opened (${error.code}).`);
  }
  const context: ToolContext = {
    root,
    commandTimeoutMs: workspace.commandTimeoutMs ?? TOOL_LIMITS.commandTimeoutMs,
    outputLimitBytes: workspace.outputLimitBytes ?? TOOL_LIMITS.outputLimitBytes,
    searchTimeoutMs: workspace.searchTimeoutMs ?? TOOL_LIMITS.searchTimeoutMs,
    signal: options.signal,
  };
  try {
    return await validateAndRun(name, args, context);
  } catch (error) {
    if (isSystemError(error)) return toolError(describeSystemError(error, root));
    throw error;
  }
}

async function validateAndRun<N extends ClientToolName>(
  name: N,
  args: unknown,
  context: ToolContext,
): Promise<ToolOutcome> {
  const checked = validateToolArguments(name, args);
  if (!checked.ok) return toolError(checked.message);
  const run: ToolExecutor<N> = executors[name];
  return run(context, checked.value);
}
