import { pino } from 'pino';
import { readSettings } from './env';
import { startRuntime } from './server';

/** `npm run start -w @baton/runtime`: starts the runtime with the settings of the environment. */
const settings = readSettings();
const logger = pino({ level: settings.logLevel, base: { replica: settings.replicaId } });
const runtime = await startRuntime(settings, logger);

if (runtime.bootstrap) {
  const dashboard = settings.dashboardUrl ?? 'http://localhost:3000';
  process.stdout.write(
    [
      '',
      'Baton made its first API tokens. They are shown this once; store them now.',
      `  operator (dashboard): ${runtime.bootstrap.operator}`,
      `    log in at ${dashboard}/login?token=${runtime.bootstrap.operator}`,
      `  client (IDE, CLI):    ${runtime.bootstrap.client}`,
      `    BATON_URL=${runtime.url} BATON_TOKEN=${runtime.bootstrap.client} npx baton run <folder> "<task>"`,
      '',
    ].join('\n'),
  );
}

let stopping = false;
const stop = (signal: string): void => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'stopping');
  runtime
    .close()
    .then(() => process.exit(0))
    .catch((error: unknown) => {
      logger.error({ err: error }, 'stop failed');
      process.exit(1);
    });
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
