import type http from 'node:http';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import { isEventStream, writeFramesByTick } from './event-stream-writes';

/**
 * The answer to a request that arrives while the runtime drains: readable by a load balancer
 * (`status`, `reason`) and by tRPC clients (an error of tRPC's shape, applied to every call of a
 * batch), who may send it again elsewhere.
 */
const DRAINING_BODY = JSON.stringify({
  status: 'draining',
  reason: 'the runtime is shutting down',
  error: {
    message: 'The runtime is shutting down: send the request to another replica.',
    code: TRPC_ERROR_CODES_BY_KEY.SERVICE_UNAVAILABLE,
    data: { code: 'SERVICE_UNAVAILABLE', httpStatus: 503 },
  },
});

/** The HTTP side of a graceful stop. */
export interface HttpDrain {
  /**
   * Lets a request through and follows it until its response is over — or, once draining,
   * answers it 503 (and closes its connection) and returns false.
   */
  admit(req: http.IncomingMessage, res: http.ServerResponse): boolean;
  readonly draining: boolean;
  /**
   * Stops listening (new connections are refused), closes idle connections, ends the event
   * streams at a frame boundary, and lets the requests in flight finish, their connections
   * closed after them. Resolves when they are all done, or after `ms`, when the connections
   * left are cut.
   */
  drain(ms: number): Promise<void>;
}

/**
 * Ends an event stream cleanly. tRPC ties a subscription to its request's abort signal, which
 * it aborts on the request's `aborted` event: the subscription's generator returns (letting go
 * of what it holds), tRPC stops reading it and ends the response with the closing chunk of its
 * body. The client sees a stream that ended — not a cut connection, nor tRPC's `return` event,
 * which would tell it the subscription is over — and reconnects with the id of the last event
 * it got, to a replica that is not stopping.
 */
function endEventStream(req: http.IncomingMessage): void {
  req.emit('aborted');
}

/** Resolves when `done` does, or after `ms`. */
async function within(ms: number, done: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([done, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** The drain of `server`: every request it serves goes through {@link HttpDrain.admit}. */
export function createHttpDrain(server: http.Server): HttpDrain {
  const inFlight = new Map<http.ServerResponse, http.IncomingMessage>();
  let draining = false;
  let allDone = (): void => undefined;
  const done = new Promise<void>((resolve) => (allDone = resolve));

  const finished = (res: http.ServerResponse): void => {
    inFlight.delete(res);
    if (!draining) return;
    // Its connection may be idle now (an event stream's, kept alive): close it too.
    server.closeIdleConnections();
    if (inFlight.size === 0) allDone();
  };

  return {
    get draining() {
      return draining;
    },
    admit(req, res) {
      if (draining) {
        res.writeHead(503, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(DRAINING_BODY),
          connection: 'close',
          'retry-after': '1',
        });
        res.end(DRAINING_BODY);
        return false;
      }
      writeFramesByTick(res);
      inFlight.set(res, req);
      res.once('close', () => finished(res));
      return true;
    },
    async drain(ms) {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      for (const [res, req] of inFlight) {
        if (isEventStream(res) || req.headers.accept?.includes('text/event-stream')) {
          endEventStream(req);
        } else if (!res.headersSent) {
          res.setHeader('connection', 'close');
        }
      }
      if (inFlight.size === 0) allDone();
      await within(ms, done);
      server.closeAllConnections();
      await closed;
    },
  };
}
