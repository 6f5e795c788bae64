import http from 'node:http';

/**
 * Raw HTTP against `/trpc`, for the input fuzz: what a hostile client can send that the typed
 * client never would, and what came back — the HTTP status and the tRPC error code, read from a
 * JSON answer or from the first event of an SSE stream.
 */

/** One request to the runtime, as sent on the wire. */
export interface RawRequest {
  readonly method: string;
  /** After `/trpc/`, with its query string. */
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/** What the runtime answered. */
export interface Answer {
  /**
   * The HTTP status, or for an SSE stream the `httpStatus` of its first error (200 for data); 0
   * when the server closed the connection before answering.
   */
  readonly status: number;
  /** The tRPC error codes in the answer (one per call of a batch); empty when it succeeded. */
  readonly codes: readonly string[];
  /** The start of the answer's body, for failure reports. */
  readonly excerpt: string;
}

/** How long an answer may take before the fuzz calls it hung (a loaded machine is slow). */
const ANSWER_TIMEOUT_MS = 20_000;

interface TrpcEnvelope {
  error?: { message?: unknown; data?: { code?: unknown; httpStatus?: unknown } };
}

const codesOf = (envelopes: TrpcEnvelope[]): string[] =>
  envelopes.flatMap((e) => (typeof e.error?.data?.code === 'string' ? [e.error.data.code] : []));

function parseEnvelopes(text: string): TrpcEnvelope[] {
  try {
    const json: unknown = JSON.parse(text);
    const list = Array.isArray(json) ? (json as unknown[]) : [json];
    return list.filter((e): e is TrpcEnvelope => typeof e === 'object' && e !== null);
  } catch {
    return [];
  }
}

/** Reads an SSE stream up to its first event that is not `connected` or `ping`. */
async function firstSseEvent(stream: AsyncIterable<Buffer>): Promise<Answer> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of stream) {
    buffer += decoder.decode(chunk, { stream: true });
    const blocks = buffer.split('\n\n');
    buffer = blocks.pop() ?? '';
    for (const block of blocks) {
      const lines = block.split('\n');
      const event =
        lines
          .find((l) => l.startsWith('event:'))
          ?.slice(6)
          .trim() ?? 'message';
      const data = lines
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).trimStart())
        .join('\n');
      if (event === 'connected' || event === 'ping' || (event === 'message' && data === '')) {
        continue;
      }
      if (event === 'serialized-error') {
        const [envelope] = parseEnvelopes(`{"error":${data}}`);
        const status = envelope?.error?.data?.httpStatus;
        return {
          status: typeof status === 'number' ? status : 500,
          codes: codesOf(envelope ? [envelope] : []),
          excerpt: data.slice(0, 300),
        };
      }
      return { status: 200, codes: [], excerpt: `${event}: ${data.slice(0, 300)}` };
    }
  }
  return { status: 200, codes: [], excerpt: `(stream ended) ${buffer.slice(0, 300)}` };
}

async function readAnswer(response: http.IncomingMessage): Promise<Answer> {
  const status = response.statusCode ?? 0;
  if (response.headers['content-type']?.startsWith('text/event-stream')) {
    return firstSseEvent(response);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return { status, codes: codesOf(parseEnvelopes(text)), excerpt: text.slice(0, 300) };
}

/**
 * Sends `request` to the runtime at `baseUrl` and reads its answer (an SSE stream's first event).
 * Plain `node:http`, not fetch: the runtime may answer a huge body (401, 413) before reading it
 * and close the connection, and that answer must still be read rather than lost to a write error.
 */
export function send(baseUrl: string, request: RawRequest): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    const outgoing = http.request(`${baseUrl}/trpc/${request.path}`, {
      method: request.method,
      headers: request.headers,
    });
    let answered = false;
    const timer = setTimeout(() => {
      outgoing.destroy();
      reject(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms to ${describe(request)}`));
    }, ANSWER_TIMEOUT_MS);
    outgoing.on('response', (response) => {
      answered = true;
      readAnswer(response)
        .then(resolve, reject)
        .finally(() => {
          clearTimeout(timer);
          outgoing.destroy();
        });
    });
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      // Writing the rest of a body the runtime has refused fails once it closes the connection.
      if (answered) return;
      clearTimeout(timer);
      // Node itself refuses a request line and headers over its limit by closing the connection.
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') {
        resolve({
          status: 0,
          codes: [],
          excerpt: `connection closed by the server (${error.code})`,
        });
      } else {
        reject(error);
      }
    });
    outgoing.end(request.body);
  });
}

/** A request in a few hundred characters, for failure reports. */
export function describe(request: RawRequest): string {
  const clip = (s: string) => (s.length > 240 ? `${s.slice(0, 240)}… (${s.length} chars)` : s);
  const body = request.body === undefined ? '' : ` body=${clip(request.body)}`;
  return `${request.method} /trpc/${clip(request.path)} headers=${clip(JSON.stringify(request.headers))}${body}`;
}
