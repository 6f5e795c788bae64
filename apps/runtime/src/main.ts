import { pino } from 'pino';
import type { BootstrapTokens } from './bootstrap';
import type { Settings } from './env';
import { readSettings } from './env';
import { startRuntime } from './server';
import { StartupError, firstLine } from './start-up-error';

/** `npm run start -w @baton/runtime`: starts the runtime with the settings of the environment. */

/** Writes `text` to `stream` and resolves once it is handed to the system, or rejects. */
function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (error) => (error ? reject(error) : resolve()));
  });
}

/** Prints the first start's tokens; the start stores them only once this resolved. */
function printFirstTokens(settings: Settings) {
  return (tokens: BootstrapTokens, url: string): Promise<void> => {
    const dashboard = settings.dashboardUrl ?? 'http://localhost:3000';
    return write(
      process.stdout,
      [
        '',
        'Baton made its first API tokens. They are shown this once; store them now.',
        `  operator (dashboard): ${tokens.operator}`,
        `    log in at ${dashboard}/login?token=${tokens.operator}`,
        `  client (IDE, CLI):    ${tokens.client}`,
        `    BATON_URL=${url} BATON_TOKEN=${tokens.client} npx baton run <folder> "<task>"`,
        '',
        '',
      ].join('\n'),
    );
  };
}

/**
 * A start that failed: one line per problem, naming the variable to fix, on stderr — no stack
 * trace — and a non-zero exit. An error nobody foresaw says so, in one line as well.
 */
async function exitStartFailed(error: unknown): Promise<never> {
  const problems =
    error instanceof StartupError
      ? error.message.split('\n')
      : [`unexpected error: ${firstLine(error)} (BATON_LOG_LEVEL=debug logs the details)`];
  await write(process.stderr, problems.map((p) => `Baton cannot start: ${p}\n`).join(''));
  process.exit(1);
}

/** What `start` returns; when it throws, the start is over (see {@link exitStartFailed}). */
async function orExit<T>(start: () => T | Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    return exitStartFailed(error);
  }
}

const settings = await orExit(() => readSettings());
const logger = pino({ level: settings.logLevel, base: { replica: settings.replicaId } });
const runtime = await orExit(() =>
  startRuntime(settings, logger, { showFirstTokens: printFirstTokens(settings) }).catch(
    (error: unknown) => {
      logger.debug({ err: error }, 'start failed');
      throw error;
    },
  ),
);

let stopping = false;
const stop = (signal: string): void => {
  if (stopping) {
    // A second signal: stop now; the leases of steps in flight run out instead.
    logger.warn({ signal }, 'stopping at once');
    process.exit(1);
  }
  stopping = true;
  logger.info({ signal, drainMs: settings.drainMs }, 'draining');
  const started = Date.now();
  runtime
    .close()
    .then(() => {
      logger.info({ ms: Date.now() - started }, 'stopped');
      process.exit(0);
    })
    .catch((error: unknown) => {
      logger.error({ err: error }, 'stop failed');
      process.exit(1);
    });
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
