import { readFile, stat } from 'node:fs/promises';

import type { JsonValue, ToolArguments, ToolOutcome } from '@baton/domain';

import { isSystemError } from './fs-errors';
import { isHardLinked } from './fs-stat';
import { startLineMatcher, type LineMatcher } from './line-matcher';
import { abortedError, toolError, toolResult } from './outcome';
import { resolveInWorkspace } from './resolve-in-workspace';
import { looksBinary, splitLines } from './text-content';
import { startTimeBudget } from './time-budget';
import { walkFolder, type FolderEntry } from './walk-folder';
import { TOOL_LIMITS, type ToolContext } from './workspace';

/**
 * `search_files`: the lines of the text files under `path` (the whole workspace by default, or
 * one file) that contain `query` — literally, or as a JavaScript regular expression when
 * `regex` is true; case-sensitive. Skips `.git`, `node_modules`, symbolic links, hard-linked
 * files, binary files and files over 1 MiB. At most 200 matches; result: `{ query, matches:
 * [{ path, line, text }], truncated }`, `line` 1-based and `text` the line cut to 400 characters.
 *
 * A query over 1,000 characters is refused. The whole search has a time budget (5 s unless the
 * workspace says otherwise): one that runs out — a regular expression that backtracks
 * catastrophically, say — is stopped and answered with an error, as is one whose call is
 * aborted.
 */
export async function searchFiles(
  context: ToolContext,
  args: ToolArguments['search_files'],
): Promise<ToolOutcome> {
  if (args.query.length > TOOL_LIMITS.searchQueryChars) {
    return toolError(
      `query is ${args.query.length} characters long, over search_files' limit of ${TOOL_LIMITS.searchQueryChars}; search for a shorter part of it.`,
    );
  }
  const start = await resolveInWorkspace(context.root, args.path ?? '.');
  if (!start.ok) return toolError(start.message);
  const isFolder = (await stat(start.absolute)).isDirectory();
  const budget = startTimeBudget(context.searchTimeoutMs, context.signal);
  const matcher = startLineMatcher(args.query, args.regex ?? false, budget.signal);
  if (typeof matcher === 'string') {
    budget.release();
    return toolError(matcher);
  }
  try {
    const files = isFolder
      ? walkFolder(start, { recursive: true, signal: budget.signal })
      : [{ ...start, type: 'file' as const }];
    const found = await collectMatches(files, matcher, budget.signal);
    if (typeof found === 'string') return toolError(found);
    if (!budget.signal.aborted) return toolResult({ query: args.query, ...found });
  } catch (error) {
    if (!budget.signal.aborted) throw error;
  } finally {
    budget.release();
    matcher.close();
  }
  if (context.signal?.aborted) return abortedError('search_files');
  return toolError(
    `search_files ran out of its time budget of ${context.searchTimeoutMs} ms and was stopped. ` +
      'Search a smaller path, or simplify the regular expression: nested repetition such as (a+)+ can take exponential time.',
  );
}

/** The matches in `files`, at most 200; or why the regular expression could not be run. */
async function collectMatches(
  files: AsyncIterable<FolderEntry> | Iterable<FolderEntry>,
  matcher: LineMatcher,
  stop: AbortSignal,
): Promise<{ matches: JsonValue[]; truncated: boolean } | string> {
  const matches: JsonValue[] = [];
  for await (const file of files) {
    if (stop.aborted) break;
    if (file.type !== 'file') continue;
    const lines = await textLines(file.absolute);
    if (lines.length === 0) continue;
    const hits = await matcher.matchingLines(lines);
    if (typeof hits === 'string') {
      return `the regular expression could not be run on "${file.relative}" (${hits}); simplify it.`;
    }
    for (const index of hits) {
      if (matches.length === TOOL_LIMITS.searchMatches) return { matches, truncated: true };
      matches.push({ path: file.relative, line: index + 1, text: clip(lines[index] ?? '') });
    }
  }
  return { matches, truncated: false };
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
