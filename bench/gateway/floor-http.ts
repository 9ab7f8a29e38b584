// What bench:gateway's floor (floor-proxy.ts) and its two half rows (floor-http-front.ts,
// floor-undici.ts) share: an HTTP/1.1 head parsed just enough, and where a body ends.
/** Upstream sockets at most: the gateway's undici pool size (upstream-pool.ts). */
export const POOL_SIZE = 128;
export const CRLF2 = Buffer.from('\r\n\r\n');
/** A client's `x-request-id` kept as is, as the gateway's exchange.ts keeps it. */
export const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;
/**
 * Headers of one connection, dropped both ways. Unlike the gateway's list, Content-Length and
 * Transfer-Encoding stay: the floor passes a body's framing through as it came.
 */
export const hopByHop: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'upgrade',
  'host',
  'expect',
]);

/**
 * Where a message body ends, fed the bytes after its head: a count for Content-Length, a small
 * state machine over chunk sizes for chunked (the chunks themselves pass through untouched).
 */
export class BodyFrame {
  /** Content-Length bytes left, or -1 when chunked. */
  #left: number;
  /** Chunked: bytes of data (+ its CRLF) left in the current chunk, or -1 while reading a size line. */
  #chunkLeft = -1;
  #line = '';
  #trailers = false;
  done: boolean;

  constructor(contentLength: number, chunked: boolean) {
    this.#left = chunked ? -1 : contentLength;
    this.done = !chunked && contentLength === 0;
  }

  /** How many of `chunk`'s bytes from `start` belong to this body; sets `done` at its end. */
  take(chunk: Buffer, start: number): number {
    if (this.#left >= 0) {
      const n = Math.min(this.#left, chunk.length - start);
      this.#left -= n;
      this.done = this.#left === 0;
      return n;
    }
    let at = start;
    while (at < chunk.length && !this.done) {
      if (this.#chunkLeft > 0) {
        const n = Math.min(this.#chunkLeft, chunk.length - at);
        this.#chunkLeft -= n;
        at += n;
        if (this.#chunkLeft === 0) this.#chunkLeft = -1;
        continue;
      }
      const byte = chunk[at++]!;
      if (byte !== 0x0a) {
        this.#line += String.fromCharCode(byte);
        continue;
      }
      const line = this.#line.trimEnd();
      this.#line = '';
      if (this.#trailers) {
        if (line === '') this.done = true;
        continue;
      }
      const size = parseInt(line, 16);
      if (Number.isNaN(size)) throw new Error(`bad chunk size line ${JSON.stringify(line)}`);
      if (size === 0) this.#trailers = true;
      else this.#chunkLeft = size + 2;
    }
    return at - start;
  }
}

export interface Head {
  readonly firstLine: string;
  /** Lowercased names and values, in order. */
  readonly names: string[];
  readonly values: string[];
  readonly frame: BodyFrame;
  readonly close: boolean;
}

export function parseHead(text: string, bodyless: boolean): Head {
  const lines = text.split('\r\n');
  const names: string[] = [];
  const values: string[] = [];
  let contentLength = 0;
  let chunked = false;
  let close = false;
  for (let index = 1; index < lines.length; index += 1) {
    const line = lines[index]!;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Error(`bad header line ${JSON.stringify(line)}`);
    const name = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-length') contentLength = Number(value);
    else if (name === 'transfer-encoding') chunked = value.toLowerCase().endsWith('chunked');
    else if (name === 'connection') close = value.toLowerCase().includes('close');
    names.push(name);
    values.push(value);
  }
  return {
    firstLine: lines[0]!,
    names,
    values,
    frame: new BodyFrame(bodyless ? 0 : contentLength, !bodyless && chunked),
    close,
  };
}
