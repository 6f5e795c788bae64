import { stat } from 'node:fs/promises';

import type { JsonValue, ToolArguments, ToolOutcome } from '@baton/domain';

import { abortedError, toolError, toolResult } from './outcome';
import { resolveInWorkspace } from './resolve-in-workspace';
import { walkFolder } from './walk-folder';
import { TOOL_LIMITS, type ToolContext } from './workspace';

/**
 * `list_files`: the entries of a folder, `{ path, type }` with paths relative to the workspace
 * folder and `type` one of `file`, `dir`, `symlink`, `other`. Recursive listing goes depth first
 * and does not enter `.git`, `node_modules` or symbolic links. At most 1000 entries; result:
 * `{ path, entries, truncated }`, with a `note` when entries were left out.
 */
export async function listFiles(
  context: ToolContext,
  args: ToolArguments['list_files'],
): Promise<ToolOutcome> {
  const folder = await resolveInWorkspace(context.root, args.path);
  if (!folder.ok) return toolError(folder.message);
  if (!(await stat(folder.absolute)).isDirectory()) {
    return toolError(`"${folder.relative}" is a file, not a folder; use read_file to read it.`);
  }
  const entries: JsonValue[] = [];
  let truncated = false;
  const walk = walkFolder(folder, { recursive: args.recursive ?? false, signal: context.signal });
  for await (const entry of walk) {
    if (entries.length === TOOL_LIMITS.listEntries) {
      truncated = true;
      break;
    }
    entries.push({ path: entry.relative, type: entry.type });
  }
  if (context.signal?.aborted) return abortedError('list_files');
  return toolResult({
    path: folder.relative,
    entries,
    truncated,
    ...(truncated && {
      note: `Only the first ${TOOL_LIMITS.listEntries} entries are listed; list a subfolder to see the rest.`,
    }),
  });
}
