/*
 * Whether this process records spans. The SDK is started (or not) once, before the application's
 * modules load, so every span site reads one boolean: with tracing off a call pays for that read
 * and nothing else, not even the no-op API's span objects.
 */
let on = false;
/** Whether the configured sampler follows the parent's decision (the `parentbased_*` samplers). */
let followsParent = false;
/**
 * The share of new traces the configured sampler keeps, when a span site may decide a root itself
 * (root-decision.ts, ADR 0077): `parentbased_traceidratio` and `parentbased_always_off`. Undefined
 * for every other sampler, whose roots the SDK decides.
 */
let rootRatio: number | undefined;

/** True once `startTracing` has installed a tracer provider in this process. */
export function tracingIsOn(): boolean {
  return on;
}

/**
 * True when tracing is on and the sampler is one of the `parentbased_*` ones with their defaults:
 * a span whose parent was not sampled is not sampled either, whatever else it is. A span site that
 * knows its parent is unsampled may then skip the span and run in the parent's context (ADR 0040).
 */
export function unsampledParentsDecide(): boolean {
  return on && followsParent;
}

/** The share of new traces kept, when span sites decide roots themselves (ADR 0077); else undefined. */
export function rootSamplingRatio(): number | undefined {
  return on ? rootRatio : undefined;
}

/** Called by `startTracing` (and its test double) only. `ratio` is the `traceidratio` samplers' argument. */
export function switchTracingOn(sampler?: string, ratio = 1): void {
  on = true;
  followsParent = sampler?.startsWith('parentbased_') === true;
  rootRatio =
    sampler === 'parentbased_traceidratio'
      ? Math.min(1, Math.max(0, ratio))
      : sampler === 'parentbased_always_off'
        ? 0
        : undefined;
}
