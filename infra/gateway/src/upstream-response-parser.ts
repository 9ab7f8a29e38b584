/**
 * An upstream's HTTP/1.1 response, read strictly and incrementally (RFC 9112): the head is checked
 * whole before anything of it is believed, and the body is framed by Content-Length, chunked
 * (decoded, as undici's llhttp did: node:http re-frames it for the client) or the connection's end.
 * Anything an upstream gets wrong (a malformed status line or header, a character a header may not
 * hold, Content-Length beside Transfer-Encoding, two Content-Lengths, a transfer coding other than
 * chunked, a bad chunk) throws an error with llhttp's `HPE_*` code, which the gateway blames on the
 * upstream and never passes to the client; an oversized head is undici's UND_ERR_HEADERS_OVERFLOW.
 */

import { upstreamError } from './upstream-error.ts';

const statusLine = /^HTTP\/1\.([01]) ([1-9]\d\d)(?: [\t\x20-\x7e\x80-\xff]*)?$/;
/**
 * One header line, read in place (sticky: from `lastIndex`, up to its CRLF or the head's end). The
 * value's class holds no CR or LF, so a match never crosses a line; it is greedy and its trailing
 * blanks are trimmed after (`trimBlanks`): a lazy value followed by `[\t ]*$` tried the rest of the
 * line at every character, and was half of the head's parsing.
 */
const headerLine = /([!#$%&'*+\-.^_`|~0-9A-Za-z]+):[\t ]*([\t\x20-\x7e\x80-\xff]*)(?:\r\n|$)/y;
const digits = /^\d{1,15}$/;
const keepAliveTimeout = /(?:^|[\s,])timeout\s*=\s*(\d+)/i;

function parseError(code: string, message: string): Error {
  return upstreamError(code, `upstream response: ${message}`);
}

/** A head or trailers over the size allowed, with undici's code. */
export function headersOverflow(what: 'head' | 'trailers'): Error {
  return parseError('UND_ERR_HEADERS_OVERFLOW', `${what} too large`);
}

export interface ResponseHead {
  readonly statusCode: number;
  /** Names and values in turn, as sent (names not lowercased); what ProxyAttempt copies. */
  readonly rawHeaders: string[];
  /** The connection may carry another request once this response is read. */
  readonly keepAlive: boolean;
  /** The upstream's `Keep-Alive: timeout=` in ms, or -1. */
  readonly keepAliveMs: number;
  /** Bytes of body by Content-Length; -1 when chunked; -2 until the connection ends. */
  readonly length: number;
}

/** Parses one head (the bytes before its blank line); throws a parse error on anything malformed. */
export function parseResponseHead(text: string, bodyless: boolean): ResponseHead {
  let end = text.indexOf('\r\n');
  if (end === -1) end = text.length;
  const status = statusLine.exec(text.slice(0, end));
  if (status === null) throw parseError('HPE_INVALID_STATUS', 'malformed status line');
  const statusCode = Number(status[2]);
  const rawHeaders: string[] = [];
  let contentLength = -1;
  let chunked = false;
  let close = status[1] === '0';
  let keepAliveMs = -1;
  let transferEncodings = 0;
  let at = end + 2;
  while (at < text.length) {
    headerLine.lastIndex = at;
    const header = headerLine.exec(text);
    if (header === null) throw parseError('HPE_INVALID_HEADER_TOKEN', 'malformed header line');
    at = headerLine.lastIndex;
    const name = header[1]!;
    const value = trimBlanks(header[2]!);
    rawHeaders.push(name, value);
    if (name.length < 10 || name.length > 17) continue;
    const lower = name.toLowerCase();
    if (lower === 'content-length') {
      if (contentLength !== -1 || !digits.test(value))
        throw parseError('HPE_INVALID_CONTENT_LENGTH', 'a bad or repeated Content-Length');
      contentLength = Number(value);
    } else if (lower === 'transfer-encoding') {
      transferEncodings += 1;
      chunked = value.toLowerCase() === 'chunked';
      // Another coding would reach the client undeclared (Transfer-Encoding is not forwarded).
      if (!chunked || transferEncodings > 1)
        throw parseError('HPE_INVALID_TRANSFER_ENCODING', 'a transfer coding other than chunked');
    } else if (lower === 'connection') {
      const tokens = value.toLowerCase();
      if (/(?:^|[\s,])close(?:$|[\s,])/.test(tokens)) close = true;
      else if (status[1] === '0' && /(?:^|[\s,])keep-alive(?:$|[\s,])/.test(tokens)) close = false;
    } else if (lower === 'keep-alive') {
      const hint = keepAliveTimeout.exec(value);
      if (hint !== null) keepAliveMs = Number(hint[1]) * 1000;
    }
  }
  if (chunked && contentLength !== -1)
    throw parseError('HPE_UNEXPECTED_CONTENT_LENGTH', 'Content-Length beside Transfer-Encoding');
  let length: number;
  if (bodyless || statusCode < 200 || statusCode === 204 || statusCode === 304) length = 0;
  else if (chunked) length = -1;
  else if (contentLength !== -1) length = contentLength;
  else length = -2;
  return { statusCode, rawHeaders, keepAlive: !close && length !== -2, keepAliveMs, length };
}

/** A header value without its trailing spaces and tabs (its leading ones the pattern skipped). */
function trimBlanks(value: string): string {
  let end = value.length;
  while (end > 0) {
    const code = value.charCodeAt(end - 1);
    if (code !== 0x20 && code !== 0x09) break;
    end -= 1;
  }
  return end === value.length ? value : value.slice(0, end);
}

/** The decoder's states: where in the chunked grammar the next byte falls. */
const Chunk = {
  Size: 0,
  Extension: 1,
  SizeLf: 2,
  Data: 3,
  DataCr: 4,
  DataLf: 5,
  Trailer: 6,
  TrailerLf: 7,
} as const;

/**
 * Decodes a chunked body: `next` hands out the data of each chunk as slices of the input, and
 * says when the body (trailers included, which are dropped as undici's handler dropped them) ends.
 */
export class ChunkedDecoder {
  #state: number = Chunk.Size;
  #size = 0;
  #sizeDigits = 0;
  #left = 0;
  #trailerLine = 0;
  #trailerBytes = 0;
  done = false;
  /** After `next`: the chunk data it stopped at the end of, or undefined. */
  data: Buffer | undefined = undefined;
  readonly #maxTrailerBytes: number;

  constructor(maxTrailerBytes: number) {
    this.#maxTrailerBytes = maxTrailerBytes;
  }

  /**
   * Reads from `at`; returns where it stopped, having set `data` to a chunk's bytes when it
   * stopped at the end of some (the caller delivers them and calls again), else `undefined`.
   */
  next(input: Buffer, at: number): number {
    this.data = undefined;
    while (at < input.length && !this.done) {
      const byte = input[at]!;
      switch (this.#state) {
        case Chunk.Size: {
          const digit = hexValue(byte);
          if (digit !== -1 && this.#sizeDigits < 12) {
            this.#size = this.#size * 16 + digit;
            this.#sizeDigits += 1;
          } else if (this.#sizeDigits > 0 && byte === 0x3b) this.#state = Chunk.Extension;
          else if (this.#sizeDigits > 0 && byte === 0x0d) this.#state = Chunk.SizeLf;
          else throw parseError('HPE_INVALID_CHUNK_SIZE', 'a malformed chunk size');
          at += 1;
          break;
        }
        case Chunk.Extension:
          if (byte === 0x0d) this.#state = Chunk.SizeLf;
          else if (byte !== 0x09 && (byte < 0x20 || byte === 0x7f))
            throw parseError('HPE_INVALID_CHUNK_SIZE', 'a malformed chunk extension');
          at += 1;
          break;
        case Chunk.SizeLf:
          expectLf(byte);
          at += 1;
          this.#sizeDigits = 0;
          if (this.#size === 0) {
            this.#state = Chunk.Trailer;
            this.#trailerLine = 0;
          } else {
            this.#left = this.#size;
            this.#size = 0;
            this.#state = Chunk.Data;
          }
          break;
        case Chunk.Data: {
          const n = Math.min(this.#left, input.length - at);
          this.#left -= n;
          if (this.#left === 0) this.#state = Chunk.DataCr;
          this.data = input.subarray(at, at + n);
          return at + n;
        }
        case Chunk.DataCr:
          if (byte !== 0x0d) throw parseError('HPE_STRICT', 'no CRLF after chunk data');
          this.#state = Chunk.DataLf;
          at += 1;
          break;
        case Chunk.DataLf:
          expectLf(byte);
          this.#state = Chunk.Size;
          at += 1;
          break;
        case Chunk.Trailer:
          if (++this.#trailerBytes > this.#maxTrailerBytes) throw headersOverflow('trailers');
          if (byte === 0x0d) this.#state = Chunk.TrailerLf;
          else if (byte === 0x0a || (byte < 0x20 && byte !== 0x09) || byte === 0x7f)
            throw parseError('HPE_INVALID_HEADER_TOKEN', 'a malformed trailer');
          else this.#trailerLine += 1;
          at += 1;
          break;
        case Chunk.TrailerLf:
          expectLf(byte);
          at += 1;
          if (this.#trailerLine === 0) this.done = true;
          this.#trailerLine = 0;
          this.#state = Chunk.Trailer;
          break;
      }
    }
    return at;
  }
}

function expectLf(byte: number): void {
  if (byte !== 0x0a) throw parseError('HPE_LF_EXPECTED', 'CR not followed by LF');
}

function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  const lower = byte | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

/** Where the head ends in `buffer` (the index after its blank line), or -1. */
export function headEnd(buffer: Buffer): number {
  const at = buffer.indexOf('\r\n\r\n', 0, 'latin1');
  return at === -1 ? -1 : at + 4;
}
