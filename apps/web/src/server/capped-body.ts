/** A request body read whole, or refused for being over the limit. */
export type CappedBody =
  | { readonly status: 'read'; readonly bytes: Uint8Array<ArrayBuffer> }
  | { readonly status: 'too_large' };

const TOO_LARGE: CappedBody = { status: 'too_large' };

/**
 * Reads `request`'s body if it is at most `limit` bytes. A Content-Length over the limit is
 * refused before anything is read; a body without one (chunked) is read until it goes over, then
 * the rest is cancelled, so no more of it is taken from the connection.
 */
export async function readBodyWithin(request: Request, limit: number): Promise<CappedBody> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > limit) return TOO_LARGE;
  if (!request.body) return { status: 'read', bytes: new Uint8Array(0) };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    size += read.value.byteLength;
    if (size > limit) {
      await reader.cancel(`request body over ${limit} bytes`);
      return TOO_LARGE;
    }
    chunks.push(read.value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { status: 'read', bytes };
}
