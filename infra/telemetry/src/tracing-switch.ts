/*
 * Whether this process records spans. The SDK is started (or not) once, before the application's
 * modules load, so every span site reads one boolean: with tracing off a call pays for that read
 * and nothing else, not even the no-op API's span objects.
 */
let on = false;
/** Whether the configured sampler follows the parent's decision (the `parentbased_*` samplers). */
let followsParent = false;

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

/** Called by `startTracing` (and its test double) only. */
export function switchTracingOn(sampler?: string): void {
  on = true;
  followsParent = sampler?.startsWith('parentbased_') === true;
}
