import type http from 'node:http';
import type {
  AnyTRPCProcedure,
  AnyTRPCRootTypes,
  AnyTRPCRouter,
  TRPCErrorShape,
  TRPCRootConfig,
} from '@trpc/server';
import { getTRPCErrorFromUnknown, getTRPCErrorShape, TRPCError } from '@trpc/server';
import { getHTTPStatusCode } from '@trpc/server/http';
import type { TRPCResponse } from '@trpc/server/rpc';
import {
  isAsyncIterable,
  isObject,
  isPromise,
  transformTRPCResponse,
} from '@trpc/server/unstable-core-do-not-import';

/** Where an error happened, as tRPC tells its error handler and formatter. */
export interface ErrorSite {
  readonly type: 'query' | 'mutation' | 'subscription' | 'unknown';
  readonly path: string | undefined;
  readonly input: unknown;
  readonly ctx: unknown;
}

/** What the lean path shares with the standard handler it stands in front of. */
export interface LeanTrpcOptions {
  readonly router: AnyTRPCRouter;
  /** Where procedures' paths begin, with its trailing slash (`/trpc/`). */
  readonly basePath: string;
  readonly maxBodySize: number;
  /** The context of a query or mutation (never a subscription), as the standard handler's. */
  readonly createContext: (req: http.IncomingMessage) => Promise<unknown>;
  /** Called with every error, as the standard handler's `onError`. */
  readonly onError: (
    opts: ErrorSite & { readonly error: TRPCError; readonly req: http.IncomingMessage },
  ) => void;
}

/** A request the lean path serves: one query or mutation, found, asked for by its method. */
interface LeanCall {
  readonly path: string;
  readonly procedure: AnyTRPCProcedure;
  readonly type: 'query' | 'mutation';
  /** A query's `input` parameter (null when absent). */
  readonly queryInput: string | null;
}

/** A call's input, or why it could not be read. */
export type Input = { readonly value: unknown } | { readonly error: TRPCError };

/**
 * Serves the common tRPC request — one non-batched POST mutation or GET query, sent as JSON —
 * straight on `node:http`: the body read into one buffer, the procedure called as tRPC calls it,
 * the answer written with one `res.end`. tRPC's standard handler turns every request into a
 * Fetch `Request` and every answer into a web stream, ~10 % of the runtime's CPU under load.
 * Answers, errors included, are the standard handler's byte for byte (`lean-trpc.test.ts`
 * compares them). Returns false, having touched nothing, for any other request — a batch, a
 * subscription, an unknown procedure, a wrong method, another content type, a URL parameter other
 * than a query's `input` — which is the standard handler's to serve.
 */
export function createLeanTrpcHandler(
  options: LeanTrpcOptions,
): (req: http.IncomingMessage, res: http.ServerResponse) => boolean {
  return (req, res) => {
    const call = leanCallOf(options, req);
    if (!call) return false;
    serveCall(options, call, req, res).catch((cause: unknown) => failed(options, req, res, cause));
    return true;
  };
}

export const configOf = (router: AnyTRPCRouter): TRPCRootConfig<AnyTRPCRootTypes> =>
  router._def._config as TRPCRootConfig<AnyTRPCRootTypes>;

/** Whether a media type header names `type` (case-insensitive, parameters ignored), as tRPC's. */
export function isMediaType(header: string | undefined, type: string): boolean {
  return header?.toLowerCase().split(';', 1)[0]?.trim() === type;
}

/** The call `req` makes, when the lean path answers it exactly as the standard handler would. */
function leanCallOf(options: LeanTrpcOptions, req: http.IncomingMessage): LeanCall | null {
  const { method, headers } = req;
  if (method !== 'POST' && method !== 'GET') return null;
  // Streamed answers (jsonl) are the standard handler's.
  if (headers['trpc-accept'] !== undefined || headers.accept?.includes('application/jsonl')) {
    return null;
  }
  // tRPC reads a GET without a content type as JSON; everything else it parses its own way.
  const contentType = headers['content-type'];
  const json = isMediaType(contentType, 'application/json');
  if (!json && (method === 'POST' || contentType !== undefined)) return null;
  // The URL as the standard handler reads it (a Host it cannot parse is its to refuse).
  let url: URL;
  try {
    url = new URL(req.url ?? '/', `http://${headers.host ?? 'localhost'}`);
  } catch {
    return null;
  }
  if (!url.pathname.startsWith(options.basePath)) return null;
  const path = url.pathname.slice(options.basePath.length);
  if (path.includes('%')) return null;
  let queryInput: string | null = null;
  if (method === 'POST') {
    if (url.search !== '') return null;
  } else {
    for (const key of url.searchParams.keys()) if (key !== 'input') return null;
    queryInput = url.searchParams.get('input');
  }
  const procedures = options.router._def.procedures as Record<string, AnyTRPCProcedure>;
  const procedure = Object.hasOwn(procedures, path) ? procedures[path] : undefined;
  const type = method === 'POST' ? 'mutation' : 'query';
  return procedure?._def.type === type ? { path, procedure, type, queryInput } : null;
}

/**
 * A POST body, whole, or the error it is read as: `PAYLOAD_TOO_LARGE` past `max` bytes (the rest
 * flows on unread, as with the standard handler), `CLIENT_CLOSED_REQUEST` when the client left.
 */
function readBody(req: http.IncomingMessage, max: number): Promise<Buffer | TRPCError> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (body: Buffer | TRPCError): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      resolve(body);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= max) chunks.push(chunk);
      else done(new TRPCError({ code: 'PAYLOAD_TOO_LARGE' }));
    };
    const onEnd = (): void => done(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    const onClose = (): void => done(new TRPCError({ code: 'CLIENT_CLOSED_REQUEST' }));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onClose);
  });
}

const decoder = new TextDecoder();

/** JSON bytes as Fetch's `Request.json()` reads them: a UTF-8 byte order mark dropped first. */
function parseJsonBytes(bytes: Buffer): unknown {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  return JSON.parse(decoder.decode(bom ? bytes.subarray(3) : bytes));
}

/**
 * A call's input as tRPC's JSON content handler reads it (a POST's `body`, else a GET's `input`
 * parameter), its failures included.
 */
export async function readInput(
  router: AnyTRPCRouter,
  queryInput: string | null,
  body: Promise<Buffer | TRPCError> | null,
): Promise<Input> {
  try {
    let raw: unknown;
    if (body) {
      const bytes = await body;
      if (bytes instanceof TRPCError) return { error: bytes };
      raw = parseJsonBytes(bytes);
    } else if (queryInput) {
      raw = JSON.parse(queryInput);
    }
    if (raw === undefined) return { value: undefined };
    const value: unknown = configOf(router).transformer.input.deserialize(raw);
    return { value };
  } catch (cause) {
    if (cause instanceof TRPCError) return { error: cause };
    const message = cause instanceof Error ? cause.message : 'Invalid input';
    return { error: new TRPCError({ code: 'BAD_REQUEST', message, cause }) };
  }
}

/** A stream-like result, which only a streaming batch may carry (tRPC's own test). */
function isDataStream(value: unknown): boolean {
  if (!isObject(value)) return false;
  if (isAsyncIterable(value)) return true;
  const values = Object.values(value);
  return values.some(isPromise) || values.some(isAsyncIterable);
}

/** Hands the error to `onError` and returns its shape, as the standard handler does. */
export function errorShapeOf(
  options: Pick<LeanTrpcOptions, 'router' | 'onError'>,
  req: http.IncomingMessage,
  cause: unknown,
  site: ErrorSite,
): TRPCErrorShape {
  const error = getTRPCErrorFromUnknown(cause);
  options.onError({ ...site, error, req });
  const config = configOf(options.router);
  return getTRPCErrorShape({ ...site, config, error }) as TRPCErrorShape;
}

function writeJson(res: http.ServerResponse, response: TRPCResponse, text: string): void {
  res.writeHead(getHTTPStatusCode(response), {
    'content-type': 'application/json',
    vary: 'trpc-accept, accept',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Answers one call the way tRPC's `resolveResponse` answers a non-batched one. */
async function serveCall(
  options: LeanTrpcOptions,
  call: LeanCall,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const config = configOf(options.router);
  // Read from the start (the standard handler streams it too), parsed when the input is asked.
  const body = call.type === 'mutation' ? readBody(req, options.maxBodySize) : null;
  let input: Input | undefined;
  let reading: Promise<Input> | undefined;
  const getRawInput = async (): Promise<unknown> => {
    reading ??= readInput(options.router, call.queryInput, body).then((read) => (input = read));
    const read = await reading;
    if ('error' in read) throw read.error;
    return read.value;
  };
  // The procedure's signal aborts when the client leaves before its answer.
  const abort = new AbortController();
  res.once('close', () => {
    if (!res.writableEnded) abort.abort();
  });

  let ctx: unknown;
  let response: TRPCResponse;
  try {
    ctx = await options.createContext(req);
    const data: unknown = await call.procedure({
      path: call.path,
      getRawInput,
      ctx,
      type: call.type,
      signal: abort.signal,
      batchIndex: 0,
    });
    response = { result: { data } };
  } catch (cause) {
    const readSoFar = input && 'value' in input ? input.value : undefined;
    const site = { type: call.type, path: call.path, input: readSoFar, ctx };
    response = { error: errorShapeOf(options, req, cause, site) };
  }
  let text: string;
  try {
    if ('result' in response && isDataStream(response.result.data)) {
      throw new TRPCError({
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message:
          'Cannot use stream-like response in non-streaming request - use httpBatchStreamLink',
      });
    }
    text = JSON.stringify(transformTRPCResponse(config, response));
  } catch (cause) {
    // An answer that cannot be sent is answered as a failed request: no path, no input.
    const site = { type: call.type, path: undefined, input: undefined, ctx };
    response = { error: errorShapeOf(options, req, cause, site) };
    text = JSON.stringify(transformTRPCResponse(config, response));
  }
  writeJson(res, response, text);
}

/** The last resort, as the standard adapter's: an error answer without a content type. */
function failed(
  options: LeanTrpcOptions,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  cause: unknown,
): void {
  const site = { type: 'unknown', path: undefined, input: undefined, ctx: undefined } as const;
  const response = { error: errorShapeOf(options, req, cause, site) };
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.statusCode = getHTTPStatusCode(response);
  res.end(JSON.stringify(transformTRPCResponse(configOf(options.router), response)));
}
