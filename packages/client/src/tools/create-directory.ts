import { mkdir } from 'node:fs/promises';

import type { ToolArguments, ToolOutcome } from '@baton/domain';

import { statIfExists } from './fs-stat';
import { toolError, toolResult } from './outcome';
import { resolveInWorkspace } from './resolve-in-workspace';
import type { ToolContext } from './workspace';

/**
 * `create_directory`: creates a folder and any missing parents. Result: `{ path, created }`,
 * `created` false when the folder was there already.
 */
export async function createDirectory(
  context: ToolContext,
  args: ToolArguments['create_directory'],
): Promise<ToolOutcome> {
  const folder = await resolveInWorkspace(context.root, args.path);
  if (!folder.ok) return toolError(folder.message);
  const existing = await statIfExists(folder.absolute);
  if (existing && !existing.isDirectory()) {
    return toolError(`"${folder.relative}" exists already and is a file, not a folder.`);
  }
  const firstCreated = await mkdir(folder.absolute, { recursive: true });
  return toolResult({ path: folder.relative, created: firstCreated !== undefined });
}
