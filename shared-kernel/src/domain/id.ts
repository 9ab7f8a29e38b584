import { validate, version } from 'uuid';
import { randomPool, takeRandomBytes } from './random-pool.ts';

/**
 * Typed identifiers: a `CourseId` cannot be passed where a `UserId` is expected, though both are
 * UUIDv7 strings at run time. v7 sorts by creation time, which keeps B-tree inserts local.
 */
export type Id<TBrand extends string> = string & { readonly __brand: TBrand };

/**
 * Monotonic within this process, as uuid's own v7: a new millisecond starts the 31-bit counter at
 * a random value; within one millisecond (or when the clock goes back) it counts up, and on
 * overflow borrows the next millisecond, so every id sorts after the one before.
 */
let lastMs = -Infinity;
let sequence = 0;

/**
 * The id's text as character codes, written in place and read out by one `String.fromCharCode`:
 * a flat string of its own. Joining 20 two-digit pieces made a tree of strings that whoever wrote
 * the id out (a JSON body, a socket) had to flatten first, which cost more than making it (a
 * visit id: ~225–470 ns made and flattened, ~115–150 ns this way, bench/README.md "redir6"). Its
 * first 14 characters, the millisecond, are written only when the millisecond changes.
 */
const text = new Uint8Array(36);
let textMs = -1;
const HEX = Uint8Array.from('0123456789abcdef', (digit) => digit.charCodeAt(0));
const DASH = 0x2d;
text[8] = text[13] = text[18] = text[23] = DASH;

function put(at: number, byte: number): void {
  text[at] = HEX[byte >>> 4]!;
  text[at + 1] = HEX[byte & 0x0f]!;
}

export function newId<TBrand extends string>(): Id<TBrand> {
  const now = Date.now();
  if (now > lastMs) {
    const at = takeRandomBytes(4);
    const pool = randomPool;
    sequence = ((pool[at]! & 0x7f) << 24) | (pool[at + 1]! << 16) | (pool[at + 2]! << 8) | pool[at + 3]!;
    lastMs = now;
  } else {
    sequence = (sequence + 1) | 0;
    if (sequence === 0) lastMs += 1;
  }
  const ms = lastMs;
  if (ms !== textMs) {
    textMs = ms;
    put(0, (ms / 0x10000000000) & 0xff);
    put(2, (ms / 0x100000000) & 0xff);
    put(4, (ms / 0x1000000) & 0xff);
    put(6, (ms / 0x10000) & 0xff);
    put(9, (ms / 0x100) & 0xff);
    put(11, ms & 0xff);
  }
  // RFC 9562: version 7 and 12 bits of the counter, the variant (binary 10) and 14 more, its last 6
  // bits and 42 random ones.
  put(14, 0x70 | ((sequence >>> 28) & 0x0f));
  put(16, (sequence >>> 20) & 0xff);
  put(19, 0x80 | ((sequence >>> 14) & 0x3f));
  put(21, (sequence >>> 6) & 0xff);
  const at = takeRandomBytes(6);
  const pool = randomPool;
  put(24, ((sequence << 2) & 0xff) | (pool[at]! & 0x03));
  put(26, pool[at + 1]!);
  put(28, pool[at + 2]!);
  put(30, pool[at + 3]!);
  put(32, pool[at + 4]!);
  put(34, pool[at + 5]!);
  const t = text;
  return String.fromCharCode(
    t[0]!,
    t[1]!,
    t[2]!,
    t[3]!,
    t[4]!,
    t[5]!,
    t[6]!,
    t[7]!,
    t[8]!,
    t[9]!,
    t[10]!,
    t[11]!,
    t[12]!,
    t[13]!,
    t[14]!,
    t[15]!,
    t[16]!,
    t[17]!,
    t[18]!,
    t[19]!,
    t[20]!,
    t[21]!,
    t[22]!,
    t[23]!,
    t[24]!,
    t[25]!,
    t[26]!,
    t[27]!,
    t[28]!,
    t[29]!,
    t[30]!,
    t[31]!,
    t[32]!,
    t[33]!,
    t[34]!,
    t[35]!,
  ) as Id<TBrand>;
}

export function isUuidV7(value: unknown): value is string {
  return typeof value === 'string' && validate(value) && version(value) === 7;
}

/** Accepts an id from outside (a request, a row) once it is known to be a UUIDv7. */
export function toId<TBrand extends string>(value: string): Id<TBrand> {
  if (!isUuidV7(value)) throw new TypeError(`not a UUIDv7: ${JSON.stringify(value)}`);
  return value as Id<TBrand>;
}
