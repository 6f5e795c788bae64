import { startRegexWorker } from './regex-worker';

/** Finds the lines of a file that a search's query matches. */
export interface LineMatcher {
  /**
   * The indices of `lines` that match, or why the regular expression could not be run on them.
   * Rejects once the search's stop signal aborts.
   */
  readonly matchingLines: (lines: readonly string[]) => Promise<number[] | string>;
  /** Releases what the matcher holds (a worker thread for a regular expression). */
  readonly close: () => void;
}

/**
 * A matcher for `query` — literal, or a JavaScript regular expression when `regex` is true — or
 * why `query` is not a valid regular expression. A literal search runs here: `includes` takes
 * time in proportion to the text. A regular expression runs on a worker thread that `stop`
 * terminates, since backtracking can take exponential time and cannot be interrupted otherwise.
 */
export function startLineMatcher(
  query: string,
  regex: boolean,
  stop: AbortSignal,
): LineMatcher | string {
  if (!regex) {
    return {
      matchingLines: (lines) =>
        Promise.resolve(indicesWhere(lines, (line) => line.includes(query))),
      close: () => {},
    };
  }
  try {
    // Compiled here only to report a syntax error; no `g` flag, so `test` keeps no state.
    new RegExp(query);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return `query is not a valid regular expression (${reason}); fix it, or search literally with regex: false.`;
  }
  return startRegexWorker(query, stop);
}

function indicesWhere(lines: readonly string[], test: (line: string) => boolean): number[] {
  const indices: number[] = [];
  lines.forEach((line, index) => {
    if (test(line)) indices.push(index);
  });
  return indices;
}
