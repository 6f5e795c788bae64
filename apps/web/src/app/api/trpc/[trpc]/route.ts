import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import type { NextRequest } from 'next/server';
import { env } from '../../../../env';
import { readBodyWithin } from '../../../../server/capped-body';
import { endingCleanly } from '../../../../server/event-stream-body';
import { requestHeadersFor, responseHeadersFrom } from '../../../../server/forward-headers';
import { TOKEN_COOKIE } from '../../../../server/token-cookie';

export const dynamic = 'force-dynamic';

const PREFIX = '/api/trpc';

/** A tRPC-shaped error, so the browser's tRPC client shows it like any other. */
function failure(
  status: number,
  code: TRPC_ERROR_CODE_KEY,
  message: string,
  headers?: HeadersInit,
): Response {
  return Response.json(
    { error: { message, code: TRPC_ERROR_CODES_BY_KEY[code], data: { code, httpStatus: status } } },
    { status, ...(headers ? { headers } : {}) },
  );
}

/** The body to pass on: none for GET, the whole of a POST's unless it is over the runtime's limit. */
async function bodyOf(request: NextRequest): Promise<Uint8Array<ArrayBuffer> | null | Response> {
  if (request.method !== 'POST') return null;
  const read = await readBodyWithin(request, env.maxRequestBytes);
  if (read.status === 'read') return read.bytes;
  // Closing the connection keeps the server from reading the rest of the body to reuse it.
  return failure(
    413,
    'PAYLOAD_TOO_LARGE',
    `The request is over ${env.maxRequestBytes} bytes, the runtime's limit (BATON_MAX_RESULT_BYTES × 2 + 64 KiB).`,
    { connection: 'close' },
  );
}

/**
 * Passes a tRPC call (batched queries, mutations, SSE subscriptions) on to the runtime with the
 * operator's token from the httpOnly cookie, and streams the answer back as it comes: an event
 * stream is never buffered. When the browser goes away, the call to the runtime is aborted. A
 * body the runtime would refuse as too large is refused here, before it is buffered: the cookie
 * is only checked for presence, so anyone could otherwise make the dashboard hold any amount.
 */
async function forward(request: NextRequest): Promise<Response> {
  const token = request.cookies.get(TOKEN_COOKIE)?.value;
  if (!token) return failure(401, 'UNAUTHORIZED', 'Log in to the dashboard first.');
  const path = request.nextUrl.pathname.slice(PREFIX.length);
  const target = `${env.runtimeUrl}/trpc${path}${request.nextUrl.search}`;
  let upstream: Response;
  try {
    const body = await bodyOf(request);
    if (body instanceof Response) return body;
    upstream = await fetch(target, {
      method: request.method,
      headers: requestHeadersFor(request.headers, token),
      body,
      signal: request.signal,
      cache: 'no-store',
    });
  } catch (error) {
    if (request.signal.aborted) return new Response(null, { status: 499 });
    const reason = error instanceof Error ? error.message : String(error);
    return failure(
      502,
      'BAD_GATEWAY',
      `The runtime at ${env.runtimeUrl} did not answer: ${reason}`,
    );
  }
  const headers = responseHeadersFrom(upstream.headers);
  const stream = headers.get('content-type')?.startsWith('text/event-stream') && upstream.body;
  return new Response(stream ? endingCleanly(stream) : upstream.body, {
    status: upstream.status,
    headers,
  });
}

export { forward as GET, forward as POST };
