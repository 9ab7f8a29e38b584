import { createContextKey, trace, type Context } from '@opentelemetry/api';
import { LEAN_ROOT_CONTEXT } from './lean-context.ts';
import { writeRandomHexId } from './random-ids.ts';
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

/**
 * A version-00 `traceparent` for a new trace that is not sampled: a random 16-byte trace id and
 * 8-byte parent id, neither all zeros (random-ids.ts), and the flags `00`. Written as ASCII into
 * one buffer and read back as one flat string (trace5): a template of the ids made a string of
 * five pieces that the frame's encoder flattened again, about 0.4 µs of the client's unsampled call.
 */
function unsampledRootTraceparent(): string {
  writeRandomHexId(traceparent, TRACE_ID_AT, 32);
  writeRandomHexId(traceparent, PARENT_ID_AT, 16);
  return traceparent.toString('latin1');
}
