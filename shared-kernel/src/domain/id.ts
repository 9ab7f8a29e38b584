import { validate, version } from 'uuid';

/**
 * Typed identifiers: a `CourseId` cannot be passed where a `UserId` is expected, though both are
 * UUIDv7 strings at run time. v7 sorts by creation time, which keeps B-tree inserts local.
 */
export type Id<TBrand extends string> = string & { readonly __brand: TBrand };

/**
 * Random bytes are drawn from the CSPRNG 4 KiB at a time and handed out 16 per id: one call per
 * 256 ids instead of one per id (a per-id `getRandomValues` was 4% of a command's CPU profile,
 * bench/README.md). The bytes are as unguessable as before; each is used once.
 */
const poolBytes = 4096;
const pool = new Uint8Array(poolBytes);
let poolOffset = poolBytes;
const hex = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/**
 * Monotonic within this process, as uuid's own v7: a new millisecond starts the 31-bit counter at
 * a random value; within one millisecond (or when the clock goes back) it counts up, and on
 * overflow borrows the next millisecond, so every id sorts after the one before.
 */
let lastMs = -Infinity;
let sequence = 0;

export function newId<TBrand extends string>(): Id<TBrand> {
  if (poolOffset + 16 > poolBytes) {
    crypto.getRandomValues(pool);
    poolOffset = 0;
  }
  const at = poolOffset;
  poolOffset += 16;
  const now = Date.now();
  if (now > lastMs) {
    sequence = ((pool[at + 6]! & 0x7f) << 24) | (pool[at + 7]! << 16) | (pool[at + 8]! << 8) | pool[at + 9]!;
    lastMs = now;
  } else {
    sequence = (sequence + 1) | 0;
    if (sequence === 0) lastMs += 1;
  }
  const ms = lastMs;
  return (hex[(ms / 0x10000000000) & 0xff]! +
    hex[(ms / 0x100000000) & 0xff]! +
    hex[(ms / 0x1000000) & 0xff]! +
    hex[(ms / 0x10000) & 0xff]! +
    '-' +
    hex[(ms / 0x100) & 0xff]! +
    hex[ms & 0xff]! +
    '-' +
    hex[0x70 | ((sequence >>> 28) & 0x0f)]! +
    hex[(sequence >>> 20) & 0xff]! +
    '-' +
    hex[0x80 | ((sequence >>> 14) & 0x3f)]! +
    hex[(sequence >>> 6) & 0xff]! +
    '-' +
    hex[((sequence << 2) & 0xff) | (pool[at + 10]! & 0x03)]! +
    hex[pool[at + 11]!]! +
    hex[pool[at + 12]!]! +
    hex[pool[at + 13]!]! +
    hex[pool[at + 14]!]! +
    hex[pool[at + 15]!]!) as Id<TBrand>;
}

export function isUuidV7(value: unknown): value is string {
  return typeof value === 'string' && validate(value) && version(value) === 7;
}

/** Accepts an id from outside (a request, a row) once it is known to be a UUIDv7. */
export function toId<TBrand extends string>(value: string): Id<TBrand> {
  if (!isUuidV7(value)) throw new TypeError(`not a UUIDv7: ${JSON.stringify(value)}`);
  return value as Id<TBrand>;
}
