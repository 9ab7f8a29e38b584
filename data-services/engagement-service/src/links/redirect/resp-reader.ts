/** An error Redis answered (`-ERR …`, `-NOSCRIPT …`): the command was refused, not lost. */
export class RespError extends Error {
  override readonly name = 'RespError';
}

/** A RESP2 reply: simple and bulk strings, integers, errors, arrays (nested), nil. */
export type RespReply = string | number | null | RespError | RespReply[];

/** Where one parse attempt stopped: the reply and the offset after it, or `undefined` for "need more". */
type Parsed = { readonly reply: RespReply; readonly end: number } | undefined;

/**
 * Reads RESP2 replies from a byte stream, whatever the chunks' boundaries: a reply split over
 * chunks waits for its rest, a chunk holding several gives each. What the visit ledger's raw
 * connection (ADR 0080) needs of Redis and nothing more: no RESP3, no push messages. Integers
 * beyond 2^53 lose precision (no reply the ledger reads comes near).
 */
export class RespReader {
  readonly #onReply: (reply: RespReply) => void;
  #buffered: Buffer | undefined;

  constructor(onReply: (reply: RespReply) => void) {
    this.#onReply = onReply;
  }

  push(chunk: Buffer): void {
    const bytes = this.#buffered === undefined ? chunk : Buffer.concat([this.#buffered, chunk]);
    let at = 0;
    for (;;) {
      const parsed = parseAt(bytes, at);
      if (parsed === undefined) break;
      at = parsed.end;
      this.#onReply(parsed.reply);
      if (at === bytes.length) break;
    }
    this.#buffered = at === bytes.length ? undefined : bytes.subarray(at);
  }

  /** Forgets a partial reply: the connection it came on is gone. */
  reset(): void {
    this.#buffered = undefined;
  }
}

const CR = 13;

function parseAt(bytes: Buffer, at: number): Parsed {
  const lineEnd = bytes.indexOf(CR, at);
  if (lineEnd === -1 || lineEnd + 1 >= bytes.length) return undefined;
  const next = lineEnd + 2;
  const type = bytes[at];
  switch (type) {
    case 0x2b: // '+'
      return { reply: bytes.toString('latin1', at + 1, lineEnd), end: next };
    case 0x2d: // '-'
      return { reply: new RespError(bytes.toString('utf8', at + 1, lineEnd)), end: next };
    case 0x3a: // ':'
      return { reply: integerAt(bytes, at + 1, lineEnd), end: next };
    case 0x24: {
      // '$': a length line, then that many bytes and CRLF; -1 is nil.
      const length = integerAt(bytes, at + 1, lineEnd);
      if (length < 0) return { reply: null, end: next };
      if (next + length + 2 > bytes.length) return undefined;
      return { reply: bytes.toString('utf8', next, next + length), end: next + length + 2 };
    }
    case 0x2a: {
      // '*': a count line, then that many replies; -1 is nil.
      const count = integerAt(bytes, at + 1, lineEnd);
      if (count < 0) return { reply: null, end: next };
      const items: RespReply[] = [];
      let end = next;
      for (let index = 0; index < count; index += 1) {
        const item = parseAt(bytes, end);
        if (item === undefined) return undefined;
        items.push(item.reply);
        end = item.end;
      }
      return { reply: items, end };
    }
    default:
      // Not RESP2: the stream is out of step and nothing after this can be trusted.
      throw new Error(`not a RESP2 reply: type byte ${String(type)} at offset ${at}`);
  }
}

function integerAt(bytes: Buffer, from: number, to: number): number {
  let negative = false;
  let at = from;
  if (bytes[at] === 0x2d) {
    negative = true;
    at += 1;
  }
  let value = 0;
  for (; at < to; at += 1) value = value * 10 + (bytes[at]! - 0x30);
  return negative ? -value : value;
}
