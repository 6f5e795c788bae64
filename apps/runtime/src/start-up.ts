import type http from 'node:http';
import type { Database } from '@baton/db';
import { migrate, openDatabase } from '@baton/db';
import type { Settings } from './env';
import { StartupError, errorCode, firstLine } from './start-up-error';

/**
 * The two start-up steps that meet the outside world — the database and the port — with their
 * failures told as a {@link StartupError} that names the variable to fix and never a stack.
 */

/** The first error of `error`'s cause chain that has a code (drizzle wraps the driver's errors). */
function rootCause(error: unknown): unknown {
  for (let at = error; at instanceof Error; at = at.cause) if (errorCode(at)) return at;
  return error;
}

/** Where a PostgreSQL URL points, without its password. */
function serverOf(url: string): string {
  try {
    const { hostname, port } = new URL(url);
    return `${hostname || 'localhost'}:${port || '5432'}`;
  } catch {
    return 'the server';
  }
}

/** What went wrong reaching the database, in words; `where` is the server or the folder. */
function databaseProblem(error: unknown, where: string): string {
  const cause = rootCause(error);
  switch (errorCode(cause)) {
    case 'ECONNREFUSED':
      return `${where} refused the connection: is PostgreSQL running there?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host of ${where} was not found`;
    case 'ETIMEDOUT':
    case 'CONNECT_TIMEOUT':
      return `${where} did not answer in time`;
    case 'ECONNRESET':
    case 'CONNECTION_CLOSED':
    case 'CONNECTION_ENDED':
      return `${where} closed the connection`;
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return `${where} is not writable: ${firstLine(cause)}`;
    default:
      // PostgreSQL's own refusals say it best: role or database missing, bad password, …
      return `${where}: ${firstLine(cause)}`;
  }
}

/**
 * Opens the database the settings name and brings its schema up to date. A server that cannot
 * be reached, refuses us or cannot be migrated is a {@link StartupError} naming `DATABASE_URL`
 * (or `BATON_DATA_DIR` for PGlite).
 */
export async function openMigratedDatabase(location: Settings['database']): Promise<Database> {
  const [variable, where] = location.url
    ? ['DATABASE_URL', serverOf(location.url)]
    : ['BATON_DATA_DIR', location.dataDir];
  let database: Database;
  try {
    database = await openDatabase(location);
  } catch (error) {
    throw new StartupError(
      `${variable}: cannot open the database: ${databaseProblem(error, where)}`,
    );
  }
  try {
    await migrate(database);
    return database;
  } catch (error) {
    await database.close().catch(() => undefined);
    throw new StartupError(
      `${variable}: cannot use the database: ${databaseProblem(error, where)}`,
    );
  }
}

/** Listens on the settings' port and host; a port in use or refused is a {@link StartupError}. */
export async function listen(server: http.Server, port: number, host: string): Promise<void> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    switch (errorCode(error)) {
      case 'EADDRINUSE':
        throw new StartupError(
          `BATON_PORT: port ${port} on ${host} is already in use; stop what uses it or choose another port.`,
        );
      case 'EACCES':
        throw new StartupError(`BATON_PORT: this user may not listen on port ${port}.`);
      case 'EADDRNOTAVAIL':
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        throw new StartupError(`BATON_HOST: ${host} is not an address of this machine.`);
      default:
        throw new StartupError(`BATON_PORT: cannot listen on ${host}:${port}: ${firstLine(error)}`);
    }
  }
}
