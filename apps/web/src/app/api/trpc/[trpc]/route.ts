import type { NextRequest } from 'next/server';
import { env } from '../../../../env';
import { endingCleanly } from '../../../../server/event-stream-body';
import { requestHeadersFor, responseHeadersFrom } from '../../../../server/forward-headers';
import { TOKEN_COOKIE } from '../../../../server/token-cookie';

export const dynamic = 'force-dynamic';

const PREFIX = '/api/trpc';

/** A tRPC-shaped error, so the browser's tRPC client shows it like any other. */
function failure(status: number, code: string, message: string): Response {
  return Response.json(
    { error: { message, code: -32000, data: { code, httpStatus: status } } },
    {
      status,
    },
  );
}

/**
 * Passes a tRPC call (batched queries, mutations, SSE subscriptions) on to the runtime with the
 * operator's token from the httpOnly cookie, and streams the answer back as it comes: an event
 * stream is never buffered. When the browser goes away, the call to the runtime is aborted.
 */
async function forward(request: NextRequest): Promise<Response> {
  const token = request.cookies.get(TOKEN_COOKIE)?.value;
  if (!token) return failure(401, 'UNAUTHORIZED', 'Log in to the dashboard first.');
  const path = request.nextUrl.pathname.slice(PREFIX.length);
  const target = `${env.runtimeUrl}/trpc${path}${request.nextUrl.search}`;
  let upstream: Response;
  try {
    upstream = await fetch(target, {
      method: request.method,
      headers: requestHeadersFor(request.headers, token),
      body: request.method === 'POST' ? await request.arrayBuffer() : null,
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
