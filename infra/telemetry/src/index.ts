// `@strata/telemetry`: what the other packages need to trace their work. Only the OpenTelemetry
// API is imported here; the SDK is in `@strata/telemetry/sdk`, loaded when tracing is on.
export { inSpan, markFailed } from './in-span.ts';
export { LEAN_ROOT_CONTEXT, leanIfRoot } from './lean-context.ts';
export { carriesTraceContext, isRequestWithOwnSpan, tracesItsOwnRequests } from './own-http-spans.ts';
export { contextFrom, linkTo, traceCarrierOf, type TraceCarrier } from './trace-carrier.ts';
export { decideNewTrace, rootsDecidedAtTheSite } from './root-decision.ts';
export { isUnsampledTraceparent } from './unsampled-traceparent.ts';
export { serviceNameOf, tracingEnvSchema, tracingSettings, type TracingSettings } from './tracing-config.ts';
export { tracingIsOn, unsampledParentsDecide } from './tracing-switch.ts';
