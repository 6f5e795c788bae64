import type { Database } from '@baton/db';
import type { Logger } from 'pino';
import { errorCode } from './start-up-error';

/** What `GET /readyz` answers: ready, or why not. */
export type Readiness =
  { readonly ready: true } | { readonly ready: false; readonly reason: string };

/** How long `GET /readyz` waits for the database's answer before it says it is not ready. */
export const READINESS_TIMEOUT_MS = 2_000;

/**
 * Readiness, as opposed to liveness: whether this replica can serve requests now, which it
 * cannot without its database. Runs `SELECT 1`, waiting at most `timeoutMs`; at most one such
 * query is in flight however often it is asked (a database that hangs is not sent a pile of
 * them). The reason given says what failed — a timeout, or the driver's error code — never the
 * error's message, as the endpoint needs no token; the log has the details.
 */
export function createReadinessCheck(
  database: Database,
  logger: Logger,
  timeoutMs = READINESS_TIMEOUT_MS,
): () => Promise<Readiness> {
  let query: Promise<Readiness> | null = null;
  let wasReady = true;
  const ask = (): Promise<Readiness> =>
    (query ??= database.db
      .execute('select 1')
      .then(
        (): Readiness => ({ ready: true }),
        (error: unknown): Readiness => {
          if (wasReady) logger.warn({ err: error }, 'not ready: the database query failed');
          const code = errorCode(error) ?? errorCode((error as Error | null)?.cause);
          return { ready: false, reason: `the database query failed${code ? ` (${code})` : ''}` };
        },
      )
      .finally(() => {
        query = null;
      }));
  return async () => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<Readiness>((resolve) => {
      timer = setTimeout(
        () => resolve({ ready: false, reason: `the database did not answer in ${timeoutMs} ms` }),
        timeoutMs,
      );
    });
    try {
      const readiness = await Promise.race([ask(), late]);
      wasReady = readiness.ready;
      return readiness;
    } finally {
      clearTimeout(timer);
    }
  };
}
