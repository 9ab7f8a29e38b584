import type { GatewayRequest } from './http-surface.ts';

/** Buffers a request body up to `limit` bytes; undefined when the request has none. */
export async function readBody(
  req: GatewayRequest,
  limit: number,
): Promise<Buffer | undefined | 'too-large'> {
  if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined)
    return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return 'too-large';
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
