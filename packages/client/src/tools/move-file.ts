import { lstat, mkdir, rename } from 'node:fs/promises';
import path from 'node:path';

import type { ToolArguments, ToolOutcome } from '@baton/domain';

import { lstatIfExists } from './fs-stat';
import { toolError, toolResult } from './outcome';
import { resolveInWorkspace } from './resolve-in-workspace';
import type { ToolContext } from './workspace';

/**
 * `move_file`: moves or renames a file (or a folder) inside the workspace, creating the
 * destination's parent folders. Never overwrites: an existing destination is an error. Result:
 * `{ from, to }`.
 */
export async function moveFile(
  context: ToolContext,
  args: ToolArguments['move_file'],
): Promise<ToolOutcome> {
  const from = await resolveInWorkspace(context.root, args.from);
  if (!from.ok) return toolError(`from: ${from.message}`);
  const to = await resolveInWorkspace(context.root, args.to);
  if (!to.ok) return toolError(`to: ${to.message}`);
  if (from.relative === '.') return toolError('from: the workspace folder itself cannot be moved.');
  if (to.relative.startsWith(`${from.relative}/`)) {
    return toolError(`"${from.relative}" cannot be moved into itself ("${to.relative}").`);
  }
  const source = await lstat(from.absolute);
  const destination = await lstatIfExists(to.absolute);
  // The same file under both names is a case-only rename on a case-insensitive disk.
  const sameFile = destination?.ino === source.ino && destination.dev === source.dev;
  if (destination && !sameFile) {
    return toolError(
      `"${to.relative}" exists already; move_file does not overwrite. Delete it first or pick another name.`,
    );
  }
  await mkdir(path.dirname(to.absolute), { recursive: true });
  await rename(from.absolute, to.absolute);
  return toolResult({ from: from.relative, to: to.relative });
}
