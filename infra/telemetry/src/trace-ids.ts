import { randomFillSync } from 'node:crypto';

/*
 * Trace and span ids for every span of the process, the SDK's and the unsampled ones the span sites
 * write themselves (unsampled-spans.ts): hex cut from a pool of random bytes refilled 4 KiB at a
 * time, so an id is one `toString('hex')` and not, as the SDK's own generator does, four
 * `Math.random()` writes into a buffer first. Ids from the CSPRNG are as unguessable as W3C trace
 * context asks (its section on privacy); Math.random's were not.
 */

const POOL_BYTES = 4_096;
const pool = Buffer.allocUnsafeSlow(POOL_BYTES);
let next = POOL_BYTES;

/** `bytes` random bytes as lowercase hex, never all zeros (W3C: an all-zero id is invalid). */
function randomHex(bytes: number): string {
  if (next + bytes > POOL_BYTES) {
    randomFillSync(pool);
    next = 0;
  }
  const start = next;
  next += bytes;
  for (let i = start; i < next; i += 1) if (pool[i] !== 0) return pool.toString('hex', start, next);
  pool[next - 1] = 1;
  return pool.toString('hex', start, next);
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
    if (primed === undefined) return randomHex(16);
    const traceId = primed;
    primed = undefined;
    return traceId;
  },
  generateSpanId(): string {
    return randomHex(8);
  },
};

/** The next trace id the SDK's generator hands out; used once, synchronously before `startSpan`. */
export function primeTraceId(traceId: string): void {
  primed = traceId;
}

/** A new trace id, drawn without the SDK. */
export function newTraceId(): string {
  return randomHex(16);
}

/** A new span id, drawn without the SDK. */
export function newSpanId(): string {
  return randomHex(8);
}
