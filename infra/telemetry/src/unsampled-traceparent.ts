/*
 * A version-00 W3C traceparent, `00-<trace id>-<parent id>-<flags>`, with its sampled flag (the
 * flags' lowest bit) off: lowercase hex, neither id all zeros, as the standard requires. Any other
 * version or form is left to the propagator, which knows the standard's rules for those.
 */
const unsampled = /^00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f][02468ace]$/;

/**
 * True when `value` is a valid traceparent whose caller did not sample its trace. With a
 * parent-based sampler nothing downstream of it is sampled either, so a hop that only passes the
 * request on may send the header on as it came, without parsing it into a context or starting a
 * span (ADR 0040 for RPC, ADR 0068 for the gateway).
 */
export function isUnsampledTraceparent(value: unknown): value is string {
  return typeof value === 'string' && value.length === 55 && unsampled.test(value);
}
