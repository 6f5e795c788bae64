import { readFile, stat } from 'node:fs/promises';

import type { JsonValue, ToolArguments, ToolOutcome } from '@baton/domain';

import { isSystemError } from './fs-errors';
import { isHardLinked } from './fs-stat';
import { abortedError, toolError, toolResult } from './outcome';
import { resolveInWorkspace } from './resolve-in-workspace';
import { looksBinary, splitLines } from './text-content';
import { walkFolder } from './walk-folder';
import { TOOL_LIMITS, type ToolContext } from './workspace';

/**
 * `search_files`: the lines of the text files under `path` (the whole workspace by default, or
 * one file) that contain `query` — literally, or as a JavaScript regular expression when
 * `regex` is true; case-sensitive. Skips `.git`, `node_modules`, symbolic links, hard-linked
 * files, binary files and files over 1 MiB. At most 200 matches; result: `{ query, matches: [{ path, line, text }],
 * truncated }`, `line` 1-based and `text` the line cut to 400 characters.
 */
export async function searchFiles(
  context: ToolContext,
  args: ToolArguments['search_files'],
): Promise<ToolOutcome> {
  const matches = lineMatcher(args.query, args.regex ?? false);
  if (typeof matches === 'string') return toolError(matches);
  const start = await resolveInWorkspace(context.root, args.path ?? '.');
  if (!start.ok) return toolError(start.message);
  const files = (await stat(start.absolute)).isDirectory()
    ? walkFolder(start, { recursive: true, signal: context.signal })
    : [{ ...start, type: 'file' as const }];
  const found: JsonValue[] = [];
  let truncated = false;
  search: for await (const file of files) {
    if (file.type !== 'file') continue;
    const lines = await textLines(file.absolute);
    for (const [index, line] of lines.entries()) {
      if (!matches(line)) continue;
      if (found.length === TOOL_LIMITS.searchMatches) {
        truncated = true;
        break search;
      }
      found.push({ path: file.relative, line: index + 1, text: clip(line) });
    }
  }
  if (context.signal?.aborted) return abortedError('search_files');
  return toolResult({ query: args.query, matches: found, truncated });
}

/** A test of one line, or why `query` is not a valid regular expression. */
function lineMatcher(query: string, regex: boolean): ((line: string) => boolean) | string {
  if (!regex) return (line) => line.includes(query);
  try {
    // No `g` flag: `test` then keeps no state between lines.
    const pattern = new RegExp(query);
    return (line) => pattern.test(line);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return `query is not a valid regular expression (${reason}); fix it, or search literally with regex: false.`;
  }
}

/** The lines of a text file without their endings; none for binary, large or unreadable files. */
async function textLines(absolute: string): Promise<string[]> {
  try {
    const stats = await stat(absolute);
    // A hard-linked file's other names may be outside the workspace: its content is not shown.
    if (isHardLinked(stats) || stats.size > TOOL_LIMITS.readFileBytes) return [];
    const bytes = await readFile(absolute);
    if (looksBinary(bytes)) return [];
    return splitLines(bytes.toString('utf8')).map((line) => line.replace(/\r?\n$/, ''));
  } catch (error) {
    // A file that vanished or cannot be read is not a reason to fail the whole search.
    if (isSystemError(error)) return [];
    throw error;
  }
}

function clip(line: string): string {
  const limit = TOOL_LIMITS.searchLineChars;
  return line.length > limit ? `${line.slice(0, limit)}…` : line;
}
