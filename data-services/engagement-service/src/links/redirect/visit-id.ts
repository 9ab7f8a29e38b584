import { randomFillSync } from 'node:crypto';

// Random hex digits for visit ids, drawn from the system a page at a time and turned into text
// once: an id is then slices of that text behind its millisecond's prefix. uuid's v7 made each id
// from 16 fresh bytes, a view of them, a new array and a twenty-piece concatenation lowered again
// (ADR 0026 moved its random source here already; this is the rest of it).
const POOL_BYTES = 4_096;
const pool = Buffer.alloc(POOL_BYTES);
/** Hex digits an id takes: 3 (rand_a), 1 (two bits of it for the variant), 15 (rand_b's rest). */
const DIGITS_PER_ID = 19;
let digits = '';
let next = 0;

// RFC 9562's variant (binary 10) in the high bits of a random hex digit: 8, 9, a or b.
const VARIANT: readonly string[] = Array.from({ length: 128 }, (_, code) => {
  const value = Number.parseInt(String.fromCharCode(code), 16);
  return Number.isNaN(value) ? '' : (8 | (value & 3)).toString(16);
});

let prefixMs = -1;
let prefix = '';

/**
 * A visit's id: a UUIDv7 like every id of the platform (the consumers' inboxes key on it, and v7
 * keeps their inserts local): the millisecond in its first 48 bits, then version 7, then 74
 * random bits (RFC 9562). Ids made in the same millisecond do not sort among themselves; nothing
 * orders visits by id.
 */
export function newVisitId(now: number = Date.now()): string {
  if (now !== prefixMs) {
    prefixMs = now;
    const time = now.toString(16).padStart(12, '0');
    prefix = `${time.slice(0, 8)}-${time.slice(8)}-7`;
  }
  if (next + DIGITS_PER_ID > digits.length) {
    randomFillSync(pool);
    digits = pool.toString('hex');
    next = 0;
  }
  const at = next;
  next += DIGITS_PER_ID;
  return `${prefix}${digits.slice(at, at + 3)}-${VARIANT[digits.charCodeAt(at + 3)]!}${digits.slice(
    at + 4,
    at + 7,
  )}-${digits.slice(at + 7, at + DIGITS_PER_ID)}`;
}
