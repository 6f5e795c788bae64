/**
 * A start that cannot go on for a reason the operator can fix: its message names the setting
 * (`BATON_MODEL: …`, `BATON_PORT: …`) and says what is wrong. `main` prints it alone — no stack
 * trace — and exits non-zero.
 */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

/** What went wrong, in one line: an error's own message up to its first line break. */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

/** Node's system error code (`ECONNREFUSED`, `EADDRINUSE`, …) or PostgreSQL's SQLSTATE, if any. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}
