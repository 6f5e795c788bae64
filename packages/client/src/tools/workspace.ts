/** A local folder the client tools act on, with the limits of `execute_command`. */
export interface Workspace {
  /** The workspace folder; every path a tool is given is resolved inside it. */
  readonly root: string;
  /** How long `execute_command` may run when the call names no `timeoutMs`. Default 60 s. */
  readonly commandTimeoutMs?: number;
  /** Bytes kept of each of `execute_command`'s stdout and stderr. Default 64 KiB. */
  readonly outputLimitBytes?: number;
  /** How long one `search_files` may run in all before it is stopped. Default 5 s. */
  readonly searchTimeoutMs?: number;
}

/** The limits the tools apply. */
export const TOOL_LIMITS = {
  /** Default time an `execute_command` may run. */
  commandTimeoutMs: 60_000,
  /** Default bytes kept per output stream of `execute_command`. */
  outputLimitBytes: 64 * 1024,
  /** Largest file `read_file` returns, and `search_files` looks into. */
  readFileBytes: 1024 * 1024,
  /** Entries `list_files` returns at most. */
  listEntries: 1000,
  /** Matches `search_files` returns at most. */
  searchMatches: 200,
  /** Characters of a matching line `search_files` quotes. */
  searchLineChars: 400,
  /** Longest query `search_files` accepts. */
  searchQueryChars: 1000,
  /** Default time one `search_files` may run, walking and matching together. */
  searchTimeoutMs: 5_000,
} as const;

/** What an executor runs with: the workspace's real root, its limits, and the caller's signal. */
export interface ToolContext {
  /** The realpath of the workspace folder. */
  readonly root: string;
  readonly commandTimeoutMs: number;
  readonly outputLimitBytes: number;
  readonly searchTimeoutMs: number;
  readonly signal: AbortSignal | undefined;
}
