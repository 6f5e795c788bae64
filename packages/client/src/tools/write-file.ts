import { mkdir, writeFile as writeFileText } from 'node:fs/promises';
import path from 'node:path';

import type { ToolArguments, ToolOutcome } from '@baton/domain';

import { statIfExists } from './fs-stat';
import { toolError, toolResult } from './outcome';
import { resolveInWorkspace } from './resolve-in-workspace';
import type { ToolContext } from './workspace';

/**
 * `write_file`: creates or overwrites a file with `content` (UTF-8), creating its parent
 * folders. Result: `{ path, bytes, created }`, `created` false when a file was overwritten.
 * Never writes through a symbolic link at the end of the path, nor into a hard-linked file.
 */
export async function writeFile(
  context: ToolContext,
  args: ToolArguments['write_file'],
): Promise<ToolOutcome> {
  const file = await resolveInWorkspace(context.root, args.path, { writes: true });
  if (!file.ok) return toolError(file.message);
  const existing = await statIfExists(file.absolute);
  if (existing?.isDirectory()) {
    return toolError(`"${file.relative}" is a folder; write_file needs the path of a file.`);
  }
  if (existing && !existing.isFile()) {
    // Writing into a pipe or a device would block or reach outside the workspace's files.
    return toolError(`"${file.relative}" is not a regular file (a device, socket or pipe).`);
  }
  await mkdir(path.dirname(file.absolute), { recursive: true });
  await writeFileText(file.absolute, args.content, 'utf8');
  return toolResult({
    path: file.relative,
    bytes: Buffer.byteLength(args.content, 'utf8'),
    created: existing === undefined,
  });
}
