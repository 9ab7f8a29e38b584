import { randomFillSync } from 'node:crypto';
import type { IdGenerator } from '@opentelemetry/sdk-trace';

/*
 * Random trace and span ids (ADR 0087), for the SDK's new spans and for the unsampled new traces a
 * span site starts itself (root-decision.ts). The SDK's own generator draws each id from
 * `Math.random`, a 32-bit write at a time, then turns it into hex with a call into Buffer's native
 * code; the gateway starts a trace on every request without a `traceparent`, so that ran on every
 * request. Here the random bytes come from the CSPRNG a few kilobytes at a time, turned into hex
 * once per refill, and an id is a copy of a slice of that hex: a flat string of its own (not a view
 * into the pool, which would keep the pool alive as long as any id it gave is kept).
 */

const RAW_BYTES = 4096;
const raw = Buffer.allocUnsafe(RAW_BYTES);
/** The pool as lowercase hex characters, one byte each. */
const hex = Buffer.allocUnsafe(RAW_BYTES * 2);
let at = hex.length;

function refill(): void {
  randomFillSync(raw);
  hex.write(raw.toString('hex'), 'latin1');
  at = 0;
}

/** Where the next id of `chars` hex characters starts in the pool: never an all-zero one. */
function nextIdAt(chars: 16 | 32): number {
  for (;;) {
    if (at + chars > hex.length) refill();
    const start = at;
    at += chars;
    for (let byte = start / 2; byte < (start + chars) / 2; byte += 1) if (raw[byte] !== 0) return start;
  }
}

/**
 * `chars` (16 or 32) random lowercase hex characters, never all zeros: a valid W3C span id (16)
 * or trace id (32).
 */
export function randomHexId(chars: 16 | 32): string {
  const start = nextIdAt(chars);
  return hex.toString('latin1', start, start + chars);
}

/** Writes an id as `randomHexId` makes it into `target` at `offset`, as ASCII. */
export function writeRandomHexId(target: Buffer, offset: number, chars: 16 | 32): void {
  const start = nextIdAt(chars);
  // A loop, not `hex.copy`: for 16 or 32 bytes the call into native code costs more than the copy.
  for (let index = 0; index < chars; index += 1) target[offset + index] = hex[start + index]!;
}

/** The SDK's id generator for this process's spans (TracerProvider's `idGenerator`). */
export const pooledIdGenerator: IdGenerator = {
  generateTraceId: () => randomHexId(32),
  generateSpanId: () => randomHexId(16),
};
