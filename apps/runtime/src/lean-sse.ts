import type http from 'node:http';
import type { AnyTRPCProcedure, AnyTRPCRouter } from '@trpc/server';
import { getTRPCErrorFromUnknown, isTrackedEnvelope, TRPCError } from '@trpc/server';
import { parseConnectionParamsFromString } from '@trpc/server/http';
import { isObservable, observableToAsyncIterable } from '@trpc/server/observable';
import {
  isAbortError,
  isAsyncIterable,
  isObject,
  sseHeaders,
} from '@trpc/server/unstable-core-do-not-import';
import type { TickWriter } from './event-stream-writes';
import { writeTicks } from './event-stream-writes';
import type { ErrorSite, Input, LeanTrpcOptions } from './lean-trpc';
import { configOf, errorShapeOf, isMediaType, readInput } from './lean-trpc';

/** What the lean event stream shares with the standard handler it stands in front of. */
export interface LeanSseOptions extends Pick<LeanTrpcOptions, 'router' | 'basePath' | 'onError'> {
  /** A subscription's context, as the standard handler's (with the URL's connection params). */
  readonly createContext: (
    req: http.IncomingMessage,
    connectionParams: Record<string, string | undefined> | null,
  ) => Promise<unknown>;
}

/** A request the lean event stream serves: one subscription, asked for by a GET. */
interface SubscriptionCall {
  readonly path: string;
  readonly procedure: AnyTRPCProcedure;
  /** The `input` parameter (null when absent). */
  readonly queryInput: string | null;
  readonly connectionParams: Record<string, string | undefined> | null;
  /** As tRPC reads it: `Last-Event-ID`, else the `lastEventId` or `Last-Event-Id` parameter. */
  readonly lastEventId: string | null;
}

/** The URL parameters tRPC reads for a subscription; a URL with any other is not served here. */
const PARAMETERS = new Set(['input', 'lastEventId', 'Last-Event-Id', 'connectionParams']);

/** tRPC's event stream headers, in the order its adapter sets them (a `Headers`' order). */
const HEADERS: readonly [string, string][] = [
  ...new Headers([['vary', 'trpc-accept, accept'], ...Object.entries(sseHeaders)]),
];

/** One event as tRPC's SSE producer makes it; which fields are present matters, as there. */
interface SseEvent {
  event?: string;
  data?: string;
  id?: string;
}

/** The text tRPC's SSE transform writes for `e`: its fields' lines, then two newlines more. */
function frameOf(e: SseEvent): string {
  let text = '';
  if ('event' in e) text += `event: ${e.event}\n`;
  if ('data' in e) text += `data: ${e.data}\n`;
  if ('id' in e) text += `id: ${e.id}\n`;
  return `${text}\n\n`;
}

const PING_FRAME = frameOf({ event: 'ping', data: '' });
const RETURN_FRAME = frameOf({ event: 'return', data: '' });

/** The SSE settings of the router, when the lean stream writes what tRPC's would. */
interface SseSettings {
  /** The `connected` event, with the options tRPC sends the client. */
  readonly connectedFrame: string;
  /** Milliseconds between pings while no event comes, or null when tRPC sends none. */
  readonly pingMs: number | null;
}

/**
 * The router's SSE settings, or null when the lean stream leaves subscriptions to the standard
 * handler: SSE turned off, a maximum duration or the serverless one-event mode (which it does not
 * reproduce), or a ping interval tRPC refuses.
 */
function sseSettingsOf(router: AnyTRPCRouter): SseSettings | null {
  const sse = configOf(router).sse;
  if (sse?.enabled === false || sse?.maxDurationMs || sse?.emitAndEndImmediately) return null;
  const client = sse?.client ?? {};
  const ping = { enabled: sse?.ping?.enabled ?? false, intervalMs: sse?.ping?.intervalMs ?? 1000 };
  const inactivity = client.reconnectAfterInactivityMs;
  if (ping.enabled && inactivity && ping.intervalMs > inactivity) return null;
  const pinging = ping.enabled && ping.intervalMs !== Infinity && ping.intervalMs > 0;
  return {
    connectedFrame: frameOf({ event: 'connected', data: JSON.stringify(client) }),
    pingMs: pinging ? ping.intervalMs : null,
  };
}

/**
 * Serves tRPC subscriptions over SSE straight on `node:http`: the procedure called as tRPC calls
 * it, its async iterable read here, and each tick's frames written in one `res.write`. tRPC's
 * standard handler runs every event through a chain of async generators, web streams and a
 * `pipeTo`, ~10 % of the runtime's CPU under load. What goes on the wire — status, headers, the
 * `connected` event, `id:`/`data:` frames, pings, the `serialized-error` and `return` events, and
 * an error before the stream as the first event after `connected` — is the standard handler's
 * (`lean-sse.test.ts` and `lean-sse-format.test.ts` compare them). A client that leaves, or a
 * request told `aborted` (the drain), aborts the procedure's signal and ends the response between
 * two frames, as tRPC's does. Returns false, having touched nothing, for any other request, and
 * for every request when the router's SSE settings are ones it does not reproduce.
 */
export function createLeanSseHandler(
  options: LeanSseOptions,
): (req: http.IncomingMessage, res: http.ServerResponse) => boolean {
  const settings = sseSettingsOf(options.router);
  return (req, res) => {
    const call = settings && subscriptionCallOf(options, req);
    if (!call || !settings) return false;
    serveSubscription(options, settings, call, req, res).catch((cause: unknown) => {
      // Only a bug of this file gets here: the stream is cut, as the standard adapter cuts one.
      const site = { type: 'unknown', path: undefined, input: undefined, ctx: undefined } as const;
      errorShapeOf(options, req, cause, site);
      res.destroy();
    });
    return true;
  };
}

/** The subscription `req` asks for, when the lean stream answers it as the standard handler. */
function subscriptionCallOf(
  options: LeanSseOptions,
  req: http.IncomingMessage,
): SubscriptionCall | null {
  const { method, headers } = req;
  if (method !== 'GET') return null;
  if (headers['trpc-accept'] !== undefined || headers.accept?.includes('application/jsonl')) {
    return null;
  }
  const contentType = headers['content-type'];
  if (contentType !== undefined && !isMediaType(contentType, 'application/json')) return null;
  let url: URL;
  try {
    url = new URL(req.url ?? '/', `http://${headers.host ?? 'localhost'}`);
  } catch {
    return null;
  }
  if (!url.pathname.startsWith(options.basePath)) return null;
  const path = url.pathname.slice(options.basePath.length);
  if (path.includes('%')) return null;
  for (const key of url.searchParams.keys()) if (!PARAMETERS.has(key)) return null;
  const procedures = options.router._def.procedures as Record<string, AnyTRPCProcedure>;
  const procedure = Object.hasOwn(procedures, path) ? procedures[path] : undefined;
  if (procedure?._def.type !== 'subscription') return null;
  // Params tRPC cannot read are its own to refuse (before any stream).
  let connectionParams: Record<string, string | undefined> | null = null;
  const params = url.searchParams.get('connectionParams');
  try {
    if (params !== null) connectionParams = parseConnectionParamsFromString(params);
  } catch {
    return null;
  }
  const header = headers['last-event-id'];
  if (Array.isArray(header)) return null;
  const lastEventId =
    header ?? url.searchParams.get('lastEventId') ?? url.searchParams.get('Last-Event-Id');
  return {
    path,
    procedure,
    queryInput: url.searchParams.get('input'),
    connectionParams,
    lastEventId,
  };
}

/** What a subscription's stream reads: its events, or the error it fails with at once. */
type Source = { readonly events: AsyncIterable<unknown> } | { readonly error: TRPCError };

/** Follows one subscription to its end, or until the client leaves or the request is aborted. */
async function serveSubscription(
  options: LeanSseOptions,
  settings: SseSettings,
  call: SubscriptionCall,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const config = configOf(options.router);
  // As the standard adapter: the response closed before its end (the client left), or the
  // request told `aborted` (how drain.ts ends a stream).
  const abort = new AbortController();
  const onAbort = (): void => {
    res.off('close', onClose);
    req.off('aborted', onAbort);
    abort.abort();
  };
  const onClose = (): void => {
    if (res.writableEnded) req.off('aborted', onAbort);
    else onAbort();
  };
  res.once('close', onClose);
  req.once('aborted', onAbort);

  let input: Input | undefined;
  let reading: Promise<Input> | undefined;
  const getRawInput = async (): Promise<unknown> => {
    reading ??= readInput(options.router, call.queryInput, null).then((read) => (input = read));
    const read = await reading;
    if ('error' in read) throw read.error;
    // A resumption's event id goes into the input, as tRPC puts it there.
    const { lastEventId } = call;
    if (!lastEventId) return read.value;
    if (isObject(read.value)) return { ...read.value, lastEventId };
    return read.value ?? { lastEventId };
  };
  const site = (): ErrorSite => ({
    type: 'subscription',
    path: call.path,
    input: input && 'value' in input ? input.value : undefined,
    ctx,
  });

  let ctx: unknown;
  let source: Source;
  try {
    ctx = await options.createContext(req, call.connectionParams);
    const data: unknown = await call.procedure({
      path: call.path,
      getRawInput,
      ctx,
      type: 'subscription',
      signal: abort.signal,
      batchIndex: 0,
    });
    source = sourceOf(data, call.path, abort.signal);
  } catch (cause) {
    const error = getTRPCErrorFromUnknown(cause);
    // Told here, and again as the stream's error (tRPC tells its handler twice too).
    options.onError({ ...site(), error, req });
    source = { error };
  }

  res.statusCode = 200;
  for (const [name, value] of HEADERS) res.setHeader(name, value);
  const out = writeTicks(res);
  const stopped = abort.signal;
  if (stopped.aborted) {
    if ('events' in source) void closeQuietly(source.events[Symbol.asyncIterator]());
    out.end();
    return;
  }
  const ping = settings.pingMs === null ? null : setTimeout(() => pinged(), settings.pingMs);
  const pinged = (): void => {
    out.add(PING_FRAME);
    ping?.refresh();
  };
  const end = (): void => {
    clearTimeout(ping ?? undefined);
    out.end();
  };
  stopped.addEventListener('abort', end, { once: true });

  out.add(settings.connectedFrame);
  const serialize = (value: unknown): string =>
    JSON.stringify(config.transformer.output.serialize(value));
  try {
    if ('error' in source) throw source.error;
    const events = source.events[Symbol.asyncIterator]();
    try {
      await follow(events, out, stopped, serialize, call.lastEventId, ping);
    } finally {
      if (stopped.aborted) void closeQuietly(events);
    }
    if (!stopped.aborted) out.add(RETURN_FRAME);
  } catch (cause) {
    if (!stopped.aborted && !isAbortError(cause)) {
      const shape = errorShapeOf(options, req, getTRPCErrorFromUnknown(cause), site());
      out.add(frameOf({ event: 'serialized-error', data: serialize(shape) }));
    }
  } finally {
    stopped.removeEventListener('abort', end);
    end();
  }
}

/** The procedure's result as a stream, or the error tRPC streams for a result that is none. */
function sourceOf(data: unknown, path: string, signal: AbortSignal): Source {
  if (isObservable(data)) return { events: observableToAsyncIterable(data, signal) };
  if (isAsyncIterable(data)) return { events: data };
  const message = `Subscription ${path} did not return an observable or a AsyncGenerator`;
  return { error: new TRPCError({ message, code: 'INTERNAL_SERVER_ERROR' }) };
}

/**
 * Writes the frame of each event of `events` until they end or `stopped` aborts, waiting while
 * the socket takes no more, as tRPC's SSE producer writes them: a tracked event with its `id:`;
 * an untracked one with none (or, once an id was sent, with an empty one and a `restore-id`
 * event after it, so that the client resumes from the last id all the same).
 */
async function follow(
  events: AsyncIterator<unknown>,
  out: TickWriter,
  stopped: AbortSignal,
  serialize: (value: unknown) => string,
  resumedFrom: string | null,
  ping: NodeJS.Timeout | null,
): Promise<void> {
  // An id with these characters cannot be sent back in an `id:` field.
  let lastEventId = resumedFrom && !/[\0\n\r]/.test(resumedFrom) ? resumedFrom : null;
  for (;;) {
    if (out.congested) await out.drained();
    if (stopped.aborted) return;
    const next = await events.next();
    if (stopped.aborted || next.done) return;
    ping?.refresh();
    let frames: string;
    try {
      const value: unknown = next.value;
      const e: SseEvent = isTrackedEnvelope(value)
        ? { id: value[0], data: serialize(value[1]) }
        : { data: serialize(value) };
      if (e.id !== undefined) {
        lastEventId = e.id;
        frames = frameOf(e);
      } else if (lastEventId === null) {
        frames = frameOf(e);
      } else {
        e.id = '';
        frames = frameOf(e) + frameOf({ event: 'restore-id', data: '', id: lastEventId });
      }
    } catch (cause) {
      // As a `for await` leaving its loop: the events are closed before the error is told.
      await events.return?.();
      throw cause;
    }
    out.add(frames);
  }
}

/** Lets an iterator go, whatever its `return` says: its stream is over already. */
async function closeQuietly(iterator: AsyncIterator<unknown>): Promise<void> {
  try {
    await iterator.return?.();
  } catch {
    // The client is gone: there is no one to tell.
  }
}
