import { Packr, RESERVE_START_SPACE, type Options } from 'msgpackr';

/** Bytes of the big-endian unsigned length that precedes every frame body. */
export const LENGTH_PREFIX_BYTES = 4;
export const DEFAULT_MAX_FRAME_BYTES = 4 * 1024 * 1024;

/**
 * Standard MessagePack only (no msgpackr records or extensions) so that any msgpack library can
 * speak the protocol; undefined becomes nil because other languages have no undefined.
 */
const packr = new Packr({
  useRecords: false,
  encodeUndefinedAsNil: true,
  // 64-bit integers from Go or Python stay plain numbers when they fit; msgpackr supports 'auto'
  // at runtime but its typings only list the other choices.
  int64AsType: 'auto' as Options['int64AsType'],
});

/** A peer broke the framing rules; the connection it came from cannot be trusted any further. */
export class FrameError extends Error {
  override readonly name = 'FrameError';
}

/** Tells msgpackr to leave this many bytes free before the body, for the length prefix. */
const RESERVE_PREFIX = RESERVE_START_SPACE | LENGTH_PREFIX_BYTES;

export function encodeFrame(frame: object, maxFrameBytes: number): Buffer {
  // The prefix is written into space msgpackr reserved in front of the body, so the frame is
  // one buffer without copying the body into a new one (Buffer.concat cost a copy per frame).
  const bytes = packr.pack(frame, RESERVE_PREFIX);
  const length = bytes.length - LENGTH_PREFIX_BYTES;
  if (length > maxFrameBytes) {
    throw new FrameError(`frame body of ${length} bytes exceeds the ${maxFrameBytes}-byte limit`);
  }
  bytes.writeUInt32BE(length, 0);
  return bytes;
}

/**
 * Splits a byte stream into frames. It refuses an oversized frame as soon as its length prefix
 * arrives, so a hostile peer cannot make us buffer more than the limit.
 */
export class FrameDecoder {
  readonly #maxFrameBytes: number;
  // Partial input is kept as a list and joined once the next frame is complete, so a large frame
  // arriving in many chunks is copied once rather than once per chunk.
  #chunks: Buffer[] = [];
  #buffered = 0;
  #needed = LENGTH_PREFIX_BYTES;

  constructor(maxFrameBytes: number) {
    this.#maxFrameBytes = maxFrameBytes;
  }

  /** Decoded frames in arrival order; throws FrameError on a framing or msgpack violation. */
  push(chunk: Buffer): unknown[] {
    return this.pushBodies(chunk).map(decodeFrameBody);
  }

  /**
   * The msgpack bodies of the frames completed by this chunk, in arrival order, not yet decoded
   * (views into the received bytes, no copy); throws FrameError on a framing violation. The server
   * decodes a request only when it starts the call (ADR 0045).
   */
  pushBodies(chunk: Buffer): Buffer[] {
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    if (this.#buffered < this.#needed) return [];
    const buffer = this.#chunks.length === 1 ? chunk : Buffer.concat(this.#chunks, this.#buffered);
    const bodies: Buffer[] = [];
    let offset = 0;
    this.#needed = LENGTH_PREFIX_BYTES;
    while (buffer.length - offset >= LENGTH_PREFIX_BYTES) {
      const length = buffer.readUInt32BE(offset);
      if (length === 0) throw new FrameError('frame with an empty body');
      if (length > this.#maxFrameBytes) {
        throw new FrameError(`frame body of ${length} bytes exceeds the ${this.#maxFrameBytes}-byte limit`);
      }
      const end = offset + LENGTH_PREFIX_BYTES + length;
      if (buffer.length < end) {
        this.#needed = LENGTH_PREFIX_BYTES + length;
        break;
      }
      bodies.push(buffer.subarray(offset + LENGTH_PREFIX_BYTES, end));
      offset = end;
    }
    const rest = buffer.subarray(offset);
    this.#chunks = rest.length === 0 ? [] : [rest];
    this.#buffered = rest.length;
    return bodies;
  }
}

/** One frame's value; throws FrameError when the body is not exactly one msgpack value. */
export function decodeFrameBody(body: Buffer): unknown {
  try {
    // msgpackr refuses trailing bytes after the value, so one frame is exactly one msgpack value.
    return packr.unpack(body);
  } catch (error) {
    throw new FrameError(`frame body is not valid msgpack: ${(error as Error).message}`);
  }
}

/**
 * A deep copy through the wire encoding: the embedded transport uses it so a value arrives exactly
 * as it would over TCP (Dates stay Dates, undefined becomes null, class instances become plain
 * objects). Measured on a ~1 KB payload it is as fast as structuredClone (≈3.5 µs vs ≈3.8 µs).
 */
export function wireClone<T>(value: T): T {
  return packr.unpack(packr.pack(value)) as T;
}
