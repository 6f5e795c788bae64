import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Database } from '@baton/db';
import { countSessionsByRunStatus } from '@baton/db';
import type { TRPCError } from '@trpc/server';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import type { Logger } from 'pino';
import { authenticate, tokenFrom } from './auth/authenticate';
import { createRateLimiter } from './auth/rate-limit';
import { openTokenCache } from './auth/token-cache';
import { createTokenStreams } from './auth/token-streams';
import type { BootstrapTokens } from './bootstrap';
import { bootstrapTokens } from './bootstrap';
import { createHttpDrain } from './drain';
import type { Engine } from './engine/engine';
import { createEngine } from './engine/engine';
import { createLimiter } from './engine/limiter';
import { createEngineMetrics } from './engine/metrics';
import type { RunModelStep } from './engine/ports';
import { startRecovery } from './engine/recovery';
import type { Settings } from './env';
import { createLeanSseHandler } from './lean-sse';
import { createLeanTrpcHandler } from './lean-trpc';
import { createModelStepRunner } from './model-runner';
import { createReadinessCheck } from './readiness';
import { appRouter } from './router';
import { StartupError, firstLine } from './start-up-error';
import { listen, openMigratedDatabase } from './start-up';
import type { Context } from './trpc';

/** The version reported by `health`. */
export const VERSION = '0.1.0';

/** A running runtime. */
export interface Runtime {
  readonly url: string;
  readonly database: Database;
  readonly engine: Engine;
  /**
   * Drains, then stops: refuses new connections and answers 503 to new requests, ends the event
   * streams between two frames, gives requests and model steps in flight `settings.drainMs` to
   * finish, releases the leases of the steps it gives up (another replica resumes them at once),
   * and closes the database.
   */
  close(): Promise<void>;
}

/** What a caller of {@link startRuntime} may add. */
export interface StartOptions {
  /** Runs model steps instead of the models the settings name (tests). */
  readonly runModelStep?: RunModelStep;
  /**
   * Shows the tokens of a first start (`main` prints them). They are stored only once it has
   * resolved, so that they are never stored unseen; without it, a first start makes none.
   */
  readonly showFirstTokens?: (tokens: BootstrapTokens, url: string) => Promise<void>;
  /**
   * Which tRPC requests the lean paths (queries and mutations, event streams) may serve (tests
   * compare their answers with tRPC's standard handler's); by default every one they can.
   */
  readonly leanHttp?: (req: http.IncomingMessage) => boolean;
}

/**
 * Starts Baton's runtime, checking first what can be checked before anything is written: the
 * models resolve (settings), the database answers and migrates, the port is free. Only then,
 * serving, does it make the first tokens of an empty database and start the recovery sweeps.
 * Serves tRPC at `/trpc`, `GET /healthz`, `GET /readyz` and `GET /metrics`. A start that fails
 * throws a {@link StartupError} naming the variable to fix, and leaves nothing open.
 */
export async function startRuntime(
  settings: Settings,
  logger: Logger,
  options: StartOptions = {},
): Promise<Runtime> {
  const runModelStep = options.runModelStep ?? createModelStepRunner(settings.models);
  const database = await openMigratedDatabase(settings.database);
  const holder = settings.replicaId ?? `replica-${randomUUID().slice(0, 8)}`;
  const metrics = createEngineMetrics(() => countSessionsByRunStatus(database.db), database);
  const engine = createEngine({
    database,
    config: settings.domain,
    leaseMs: settings.leaseMs,
    holder,
    runModelStep,
    limiter: createLimiter(settings.models.concurrency, settings.models.queue),
    logger,
    metrics,
  });
  const rateLimiter = createRateLimiter(settings.limits.requestsPerMinute);
  const tokens = await openTokenCache(database, {
    streams: createTokenStreams(settings.limits.streamsPerToken),
    failedLookups: createRateLimiter(settings.limits.failedAuthPerMinute),
  });
  const maxBodySize = settings.limits.maxResultBytes * 2 + 64 * 1024;
  // One context for the standard handler and the lean paths: the lean queries and mutations carry
  // no connection params (it leaves URLs with any to the standard handler); the lean event
  // streams carry those of their URL, as the standard handler's subscriptions.
  const contextFor = async (
    req: http.IncomingMessage,
    info: { subscription: boolean; connectionParams: Record<string, string | undefined> | null },
  ): Promise<Context> => {
    const auth = await authenticate(
      tokens,
      tokenFrom(req.headers.authorization, info.connectionParams),
      settings.bootstrapToken,
      { subscription: info.subscription, from: req.socket.remoteAddress ?? 'unknown' },
    );
    if (auth.token && auth.stored) {
      // Off the request path, and written at most once a minute per token: never awaited.
      tokens.noteUse(auth.token.id).catch((error: unknown) => {
        logger.warn({ err: error, tokenId: auth.token?.id }, 'recording a token use failed');
      });
    }
    return {
      database,
      engine,
      settings,
      metrics,
      logger,
      rateLimiter,
      tokens,
      version: VERSION,
      token: auth.token,
      tokenProblem: auth.problem,
    };
  };
  const onError = ({ error, path }: { error: TRPCError; path: string | undefined }): void => {
    if (error.code === 'INTERNAL_SERVER_ERROR')
      logger.error({ err: error, path }, 'request failed');
  };
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    // One request may batch this many calls at most (the client's batch link sends no more).
    maxBatchSize: 50,
    maxBodySize,
    createContext: ({ req, info }) =>
      contextFor(req, {
        subscription: info.type === 'subscription',
        connectionParams: info.connectionParams,
      }),
    onError,
  });
  const leanTrpc = createLeanTrpcHandler({
    router: appRouter,
    basePath: '/trpc/',
    maxBodySize,
    createContext: (req) => contextFor(req, { subscription: false, connectionParams: null }),
    onError,
  });
  const leanSse = createLeanSseHandler({
    router: appRouter,
    basePath: '/trpc/',
    createContext: (req, connectionParams) =>
      contextFor(req, { subscription: true, connectionParams }),
    onError,
  });
  const mayTakeLeanPath = options.leanHttp ?? (() => true);
  const readiness = createReadinessCheck(database, logger);
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    // Liveness: the process serves HTTP. It says nothing of the database, so an orchestrator
    // does not restart a runtime that only waits for its database to come back.
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok', version: VERSION, database: database.kind }));
      return;
    }
    if (!drain.admit(req, res)) return;
    if (path === '/readyz') {
      // Readiness: this replica can serve requests now — its database answers `SELECT 1` within
      // a short time (and it is not draining, answered above). A load balancer sends traffic
      // only to ready replicas.
      void readiness().then((ready) => {
        res.writeHead(ready.ready ? 200 : 503, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify(
            ready.ready ? { status: 'ready' } : { status: 'unavailable', reason: ready.reason },
          ),
        );
      });
    } else if (path === '/metrics') {
      metrics.registry
        .metrics()
        .then((text) => {
          res.writeHead(200, { 'content-type': metrics.registry.contentType });
          res.end(text);
        })
        .catch((error: unknown) => {
          logger.error({ err: error }, 'metrics failed');
          res.writeHead(500).end();
        });
    } else if (path?.startsWith('/trpc/')) {
      if (!mayTakeLeanPath(req) || !(leanTrpc(req, res) || leanSse(req, res))) trpc(req, res);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found. The API is at /trpc.\n');
    }
  });
  const drain = createHttpDrain(server);
  // Clients (Node's fetch keeps idle sockets 4 s) close an idle connection before the server
  // does, so a request is never sent down a socket the server is just closing ("other side
  // closed", seen under bursts with Node's default of 5 s).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  let recovery: Awaited<ReturnType<typeof startRecovery>> | null = null;
  // Each part stops even when one before it failed: a stop always ends with nothing open.
  const stopping = async (what: string, part: () => Promise<void> | undefined): Promise<void> => {
    try {
      await part();
    } catch (error) {
      logger.warn({ err: error }, `stopping: ${what} failed`);
    }
  };
  const stop = async (drainMs: number): Promise<void> => {
    // All at once, the moment the stop begins: no request is let in, no step taken over or
    // started here from now on (a step started by a request in flight goes to another replica).
    await Promise.all([
      stopping('http', () => drain.drain(drainMs)),
      stopping('recovery', () => recovery?.stop()),
      stopping('engine', () => engine.close(drainMs)),
    ]);
    await stopping('token cache', () => tokens.close());
    await stopping('database', () => database.close());
  };
  let url: string;
  try {
    await listen(server, settings.port, settings.host);
    url = `http://${settings.host}:${(server.address() as AddressInfo).port}`;
    if (options.showFirstTokens) {
      const show = options.showFirstTokens;
      await bootstrapTokens(database, Date.now(), (made) => show(made, url)).catch(
        (error: unknown) => {
          throw new StartupError(
            `${settings.database.url ? 'DATABASE_URL' : 'BATON_DATA_DIR'}: the first API tokens could not be made or stored (${firstLine(error)}); any printed above do not work. Start again to make new ones.`,
          );
        },
      );
    }
    recovery = await startRecovery({
      database,
      engine,
      intervalMs: Math.max(50, Math.floor(settings.leaseMs / 2)),
      now: Date.now,
      logger,
    });
  } catch (error) {
    await stop(0).catch(() => undefined);
    throw error;
  }
  logger.info({ url, database: database.kind, holder }, 'Baton runtime listening');
  return {
    url,
    database,
    engine,
    close: () => stop(settings.drainMs),
  };
}
