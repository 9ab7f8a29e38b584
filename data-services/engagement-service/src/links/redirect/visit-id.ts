import { randomFillSync } from 'node:crypto';
import { v7 } from 'uuid';

// Random bytes for visit ids, drawn from the system a page at a time: uuid's own generator asks
// for 16 bytes per id (one call into the system's random source per visit, the largest cost of a
// redirect's own work in the profile; ADR 0026).
const pool = new Uint8Array(4_096);
let next = pool.length;

function random16(): Uint8Array {
  if (next + 16 > pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  const bytes = pool.subarray(next, next + 16);
  next += 16;
  return bytes;
}

/**
 * A visit's id: a UUIDv7 like every id of the platform (the consumers' inboxes key on it, and v7
 * keeps their inserts local), its 74 random bits from the pool above. Ids made in the same
 * millisecond do not sort among themselves (uuid keeps a sequence only for its own random source);
 * nothing orders visits by id.
 */
export function newVisitId(): string {
  return v7({ rng: random16 });
}
