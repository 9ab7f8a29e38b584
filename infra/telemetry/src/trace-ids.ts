/*
 * Trace and span ids for every span of the process, the SDK's and the unsampled ones the span sites
 * write themselves (unsampled-spans.ts): slices of one hex string made from 4 KiB of random bytes
 * at a time, so an id is a substring and not, as the SDK's own generator makes it, four
 * `Math.random()` writes into a buffer and a `toString('hex')` per id (a call into native code
 * each). The bytes come from `Math.random()`, as the SDK's do: the CSPRNG (`randomFillSync`) cost
 * ~0.4 µs per RPC call in a profile, most of what the ids cost, and W3C trace context asks ids to
 * be random and unique, not secret. A slice keeps its 8 KiB string alive while the id lives: a
 * span's until the span is encoded (milliseconds, ADR 0055), an unsampled call's until its frame
 * is written.
 */

const POOL_BYTES = 4_096;
const bytes = Buffer.allocUnsafeSlow(POOL_BYTES);
const words = new Uint32Array(bytes.buffer, bytes.byteOffset, POOL_BYTES / 4);
let pool = '';
let next = 0;
const ZEROS: Record<number, string> = { 16: '0'.repeat(16), 32: '0'.repeat(32) };

/** `chars` hex characters (16 or 32) of random bytes, never all zeros (W3C: an all-zero id is invalid). */
function randomHex(chars: 16 | 32): string {
  if (next + chars > pool.length) {
    for (let word = 0; word < words.length; word += 1) words[word] = (Math.random() * 2 ** 32) >>> 0;
    pool = bytes.toString('hex');
    next = 0;
  }
  const id = pool.slice(next, (next += chars));
  return id === ZEROS[chars] ? `${id.slice(0, -1)}1` : id;
}

/** A trace id a span site decided to keep, handed to the SDK's next root span (see `primeTraceId`). */
let primed: string | undefined;

/**
 * The SDK's id generator (its `IdGenerator` shape), installed by `startTracing`. A span site that
 * decided a new trace's sampling itself from a trace id it drew (unsampled-spans.ts) and found it
 * sampled primes that id, so the SDK's span, started right after, carries it and the SDK's sampler,
 * asked about the same id, decides the same.
 */
export const pooledIdGenerator = {
  generateTraceId(): string {
    if (primed === undefined) return randomHex(32);
    const traceId = primed;
    primed = undefined;
    return traceId;
  },
  generateSpanId(): string {
    return randomHex(16);
  },
};

/** The next trace id the SDK's generator hands out; used once, synchronously before `startSpan`. */
export function primeTraceId(traceId: string): void {
  primed = traceId;
}

/** A new trace id, drawn without the SDK. */
export function newTraceId(): string {
  return randomHex(32);
}

/** A new span id, drawn without the SDK. */
export function newSpanId(): string {
  return randomHex(16);
}
