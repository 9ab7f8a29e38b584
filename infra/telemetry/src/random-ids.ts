import type { IdGenerator } from '@opentelemetry/sdk-trace';
import { randomPool, takeRandomBytes } from '@strata/shared-kernel';

/*
 * Random trace and span ids (ADR 0087), for the SDK's new spans and for the unsampled new traces a
 * span site starts itself (root-decision.ts). The SDK's own generator draws each id from
 * `Math.random`, a 32-bit write at a time, then turns it into hex with a call into Buffer's native
 * code; the gateway starts a trace on every request without a `traceparent`, so that ran on every
 * request. Here the random bytes come from the process's one pool of CSPRNG bytes (the shared
 * kernel's, which `newId` draws from too), and an id is their hex: a flat string of its own, made
 * by one call into Buffer's native code, or written straight into the caller's buffer.
 */

/** The pool's bytes as a Buffer (a view of the same memory, not a copy), for its hex. */
const pool = Buffer.from(randomPool.buffer, randomPool.byteOffset, randomPool.byteLength);
const HEX = Buffer.from('0123456789abcdef', 'latin1');

/** Where the next id of `bytes` random bytes starts in the pool: never an all-zero one. */
function nextIdAt(bytes: 8 | 16): number {
  for (;;) {
    const start = takeRandomBytes(bytes);
    for (let at = start; at < start + bytes; at += 1) if (pool[at] !== 0) return start;
  }
}

/**
 * `chars` (16 or 32) random lowercase hex characters, never all zeros: a valid W3C span id (16)
 * or trace id (32).
 */
export function randomHexId(chars: 16 | 32): string {
  const bytes = chars === 32 ? 16 : 8;
  const start = nextIdAt(bytes);
  return pool.toString('hex', start, start + bytes);
}

/** Writes an id as `randomHexId` makes it into `target` at `offset`, as ASCII. */
export function writeRandomHexId(target: Buffer, offset: number, chars: 16 | 32): void {
  const bytes = chars === 32 ? 16 : 8;
  const start = nextIdAt(bytes);
  // A loop, not a call into native code: for 8 or 16 bytes the call costs more than the loop.
  for (let index = 0; index < bytes; index += 1) {
    const byte = pool[start + index]!;
    target[offset + 2 * index] = HEX[byte >>> 4]!;
    target[offset + 2 * index + 1] = HEX[byte & 0x0f]!;
  }
}

/** The SDK's id generator for this process's spans (TracerProvider's `idGenerator`). */
export const pooledIdGenerator: IdGenerator = {
  generateTraceId: () => randomHexId(32),
  generateSpanId: () => randomHexId(16),
};
