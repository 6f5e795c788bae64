import { readFile as readFileBytes, stat } from 'node:fs/promises';

import type { ToolArguments, ToolOutcome } from '@baton/domain';

import { toolError, toolResult } from './outcome';
import { resolveInWorkspace } from './resolve-in-workspace';
import { looksBinary, splitLines } from './text-content';
import { TOOL_LIMITS, type ToolContext } from './workspace';

/**
 * `read_file`: the text of a file, or the lines `startLine`..`endLine` of it (1-based,
 * inclusive; `endLine` past the end stops at the end). Result:
 * `{ path, content, startLine, endLine, totalLines }`, lines keeping their endings.
 * Folders, devices, binary files and files over 1 MiB are refused with a message saying what to
 * do instead.
 */
export async function readFile(
  context: ToolContext,
  args: ToolArguments['read_file'],
): Promise<ToolOutcome> {
  const file = await resolveInWorkspace(context.root, args.path);
  if (!file.ok) return toolError(file.message);
  const stats = await stat(file.absolute);
  if (stats.isDirectory()) {
    return toolError(`"${file.relative}" is a folder, not a file; use list_files to see it.`);
  }
  if (!stats.isFile()) {
    return toolError(`"${file.relative}" is not a regular file (a device, socket or pipe).`);
  }
  if (stats.size > TOOL_LIMITS.readFileBytes) {
    return toolError(
      `"${file.relative}" is ${stats.size} bytes, over read_file's limit of ${TOOL_LIMITS.readFileBytes} bytes; ` +
        'find the part you need with search_files, or read it with execute_command (head, tail, sed -n).',
    );
  }
  const bytes = await readFileBytes(file.absolute);
  if (looksBinary(bytes)) {
    return toolError(
      `"${file.relative}" is a binary file (it holds NUL bytes); read_file reads text.`,
    );
  }
  const lines = splitLines(bytes.toString('utf8'));
  const startLine = args.startLine ?? 1;
  if (args.endLine !== undefined && args.endLine < startLine) {
    return toolError(`endLine (${args.endLine}) is before startLine (${startLine}).`);
  }
  if (startLine > Math.max(lines.length, 1)) {
    return toolError(
      `startLine ${startLine} is past the end of "${file.relative}", which has ${lines.length} lines.`,
    );
  }
  const endLine = Math.min(args.endLine ?? lines.length, lines.length);
  return toolResult({
    path: file.relative,
    content: lines.slice(startLine - 1, endLine).join(''),
    startLine,
    endLine,
    totalLines: lines.length,
  });
}
