import { lstat, unlink } from 'node:fs/promises';

import type { ToolArguments, ToolOutcome } from '@baton/domain';

import { toolError, toolResult } from './outcome';
import { resolveInWorkspace } from './resolve-in-workspace';
import type { ToolContext } from './workspace';

/**
 * `delete_file`: deletes one file (a symbolic link is deleted itself, not its target). Folders
 * are refused. Result: `{ path, deleted: true }`.
 */
export async function deleteFile(
  context: ToolContext,
  args: ToolArguments['delete_file'],
): Promise<ToolOutcome> {
  const file = await resolveInWorkspace(context.root, args.path);
  if (!file.ok) return toolError(file.message);
  if ((await lstat(file.absolute)).isDirectory()) {
    return toolError(`"${file.relative}" is a folder; delete_file deletes files only.`);
  }
  await unlink(file.absolute);
  return toolResult({ path: file.relative, deleted: true });
}
