import { ApiError } from '../errors.js';

/** The largest request body the proxy forwards to PingOne. */
export const MAX_PROXY_BODY_BYTES = 1024 * 1024;

const tooLarge = () =>
  new ApiError('invalid_request', 'The request body is too large for the proxy (1 MiB at most).');

/**
 * Reads a request body to forward, refusing it once more than `limit` bytes have arrived:
 * counted over the bytes actually received, so a missing or false `Content-Length` changes
 * nothing, and a declared length over the limit is refused before reading. The body is held
 * (at most `limit` bytes) rather than piped through, so that the retry after a refresh can send
 * it again.
 *
 * @returns the bytes, or undefined when there is no body.
 * @throws ApiError `invalid_request`.
 */
export async function readLimitedBody(
  request: Request,
  limit = MAX_PROXY_BODY_BYTES,
): Promise<Uint8Array | undefined> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > limit) throw tooLarge();
  if (!request.body) return undefined;
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return size === 0 ? undefined : Buffer.concat(chunks);
}
