/**
 * The one pool of random bytes of a process (of a thread, strictly: each has its own copy of this
 * module): entity ids (`newId`), the redirect's visit ids (which are `newId`s) and trace and span
 * ids (infra/telemetry's random-ids.ts, ADR 0087) all draw from it. The bytes come from the
 * CSPRNG (the global `crypto`, so the kernel imports nothing for it) 4 KiB at a time: asking the
 * system once per id was 2–5 % of a redirect's CPU (ADR 0026) and 4 % of a command's (bench/README).
 * They are as unguessable as the system's; each is handed out once.
 */
const POOL_BYTES = 4096;

/** The pool. Which of its bytes are a caller's is what `takeRandomBytes` answers. */
export const randomPool = new Uint8Array(POOL_BYTES);
let next = POOL_BYTES;

/**
 * Where `count` (at most 4096) random bytes no one else was given start in `randomPool`. They are
 * the caller's until it next takes from the pool (or calls anything that may): a refill writes
 * over the whole pool, so read them first.
 */
export function takeRandomBytes(count: number): number {
  if (next + count > POOL_BYTES) {
    if (count > POOL_BYTES)
      throw new RangeError(`at most ${POOL_BYTES} random bytes at a time, not ${count}`);
    crypto.getRandomValues(randomPool);
    next = 0;
  }
  const at = next;
  next += count;
  return at;
}
