import { createContextKey, trace, type Context } from '@opentelemetry/api';
import { LEAN_ROOT_CONTEXT } from './lean-context.ts';
import { rootSamplingRatio } from './tracing-switch.ts';

/*
 * A new trace's sampling, decided at the span site that starts it (ADR 0077). With a parent-based
 * ratio sampler only a trace's root is decided; every span below follows the root's sampled flag.
 *
 * Through the SDK an unsampled root still costs a span: two ids, its attributes copied, the sampler
 * chain, a non-recording span and the propagator's inject, ~3 µs a call on bench:rpc's client for
 * the nine calls in ten that record nothing. A site that starts traces on a hot path (an RPC call
 * with no trace around it, a gateway request without a `traceparent`) asks `decideNewTrace()`
 * instead: an unsampled trace is then only its `traceparent`, fresh ids and the sampled flag off,
 * sent on as the SDK would have sent it; a sampled one starts its span from SAMPLED_ROOT_CONTEXT,
 * which RootsDecidedAtTheSite samples without deciding again.
 *
 * The decision is a slice's, not the call's: each slice keeps the new traces that start in it with
 * the configured probability, drawn when its first trace starts, and ends after SLICE_TRACES traces
 * or SLICE_MS after its first, whichever comes first. Measured on bench:rpc, a sampled call cost the
 * SDK about twice as much when sampled calls were spread one in ten as when they came in a run
 * (bench/README.md, ADR 0077): spread out, the tracing code and its data are cold every time it runs.
 * The count bound keeps the kept share at the ratio under load (ADR 0082): a slice of time alone
 * held fewer traces when it was kept, its calls being dearer, so a saturated process kept 4–9 %
 * of its calls at 0.1. The price is that traces kept are clustered: up to SLICE_TRACES traces
 * started within the same 10 ms are kept or dropped together.
 */

/** How long a slice whose new traces are kept or dropped together lasts at most. */
export const SLICE_MS = 10;

/** How many new traces a slice holds at most. */
export const SLICE_TRACES = 32;

const SAMPLED_HERE = createContextKey('strata.telemetry.root-sampled-at-its-site');

/** The parent a root span the site sampled starts from: a lean root that says so. */
export const SAMPLED_ROOT_CONTEXT: Context = LEAN_ROOT_CONTEXT.setValue(SAMPLED_HERE, true);

/** True for a context a site's sampled root starts from (and not for the spans below it). */
export function isRootSampledAtItsSite(context: Context): boolean {
  return context.getValue(SAMPLED_HERE) === true && trace.getSpanContext(context) === undefined;
}

/** True when span sites decide new traces themselves: tracing is on with a parent-based ratio sampler. */
export function rootsDecidedAtTheSite(): boolean {
  return rootSamplingRatio() !== undefined;
}

let sliceStart = Number.NEGATIVE_INFINITY;
let sliceTraces = 0;
let sliceKept = false;

/**
 * Decides a new trace, when `rootsDecidedAtTheSite()`: SAMPLED_ROOT_CONTEXT, to start the root span
 * from with the SDK, or, for a trace not sampled, the `traceparent` that carries it on. `now` is
 * the process's clock (`performance.now()`), given by tests.
 */
export function decideNewTrace(now = performance.now()): Context | string {
  if (sliceTraces >= SLICE_TRACES || now - sliceStart >= SLICE_MS) {
    sliceStart = now;
    sliceTraces = 0;
    sliceKept = Math.random() < rootSamplingRatio()!;
  }
  sliceTraces += 1;
  return sliceKept ? SAMPLED_ROOT_CONTEXT : unsampledRootTraceparent();
}

/** A traceparent's bytes, rewritten in place for each unsampled new trace: `00-<trace id>-<parent id>-00`. */
const traceparent = Buffer.from(`00-${'0'.repeat(32)}-${'0'.repeat(16)}-00`, 'latin1');
const TRACE_ID_AT = 3;
const PARENT_ID_AT = 36;
/** The two ASCII hex digits of each byte value, at 2 × byte. */
const HEX_DIGITS = new Uint8Array(512);
for (let byte = 0; byte < 256; byte += 1) {
  const digits = byte.toString(16).padStart(2, '0');
  HEX_DIGITS[2 * byte] = digits.charCodeAt(0);
  HEX_DIGITS[2 * byte + 1] = digits.charCodeAt(1);
}
const DIGIT_ONE = 0x31;

/** 32 random bits, from `Math.random` as the SDK's own id generator draws them, as 8 hex digits at `at`. */
function randomWordAt(at: number): number {
  const word = (Math.random() * 2 ** 32) >>> 0;
  for (let shift = 24; shift >= 0; shift -= 8) {
    const byte = (word >>> shift) & 0xff;
    traceparent[at++] = HEX_DIGITS[2 * byte]!;
    traceparent[at++] = HEX_DIGITS[2 * byte + 1]!;
  }
  return word;
}

/**
 * A version-00 `traceparent` for a new trace that is not sampled: a 16-byte trace id and an 8-byte
 * parent id, random and never all zeros, and the flags `00`. Written as ASCII into one buffer and
 * read back as one flat string (trace5): the ids' hex, its two slices and a template made a string
 * of five pieces that the frame's encoder flattened again, and the zero checks read BigInts; about
 * 0.4 µs of the client's unsampled call.
 */
function unsampledRootTraceparent(): string {
  let traceBits = 0;
  for (let word = 0; word < 4; word += 1) traceBits |= randomWordAt(TRACE_ID_AT + 8 * word);
  const parentBits = randomWordAt(PARENT_ID_AT) | randomWordAt(PARENT_ID_AT + 8);
  if (traceBits === 0) traceparent[TRACE_ID_AT + 31] = DIGIT_ONE;
  if (parentBits === 0) traceparent[PARENT_ID_AT + 15] = DIGIT_ONE;
  return traceparent.toString('latin1');
}
