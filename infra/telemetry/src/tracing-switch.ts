/*
 * Whether this process records spans. The SDK is started (or not) once, before the application's
 * modules load, so every span site reads one boolean: with tracing off a call pays for that read
 * and nothing else, not even the no-op API's span objects.
 */
let on = false;

/** True once `startTracing` has installed a tracer provider in this process. */
export function tracingIsOn(): boolean {
  return on;
}

/** Called by `startTracing` (and its test double) only. */
export function switchTracingOn(): void {
  on = true;
}
