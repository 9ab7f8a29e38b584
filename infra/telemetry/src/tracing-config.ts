import { z } from '@strata/shared-kernel';

const samplers = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

/**
 * The environment that turns tracing on, in OpenTelemetry's own variable names so a collector's
 * documentation applies as written. Tracing is on when spans have somewhere to go — an OTLP
 * endpoint (for all signals or for traces alone), or OTEL_TRACES_EXPORTER=zipkin — and
 * OTEL_SDK_DISABLED is not `true`; otherwise nothing of the SDK is loaded.
 */
export const tracingEnvSchema = z.object({
  /** `otlp` (the default) needs an endpoint below; `zipkin` posts to a Zipkin server; `none` keeps tracing off. */
  OTEL_TRACES_EXPORTER: z.enum(['otlp', 'zipkin', 'none']).default('otlp'),
  /** The collector's base URL, e.g. http://127.0.0.1:4318; spans go to `<url>/v1/traces`. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  /** The traces endpoint itself, used as given (wins over OTEL_EXPORTER_OTLP_ENDPOINT). */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  /** How spans are encoded: protobuf (the default, what every collector takes) or JSON. */
  OTEL_EXPORTER_OTLP_PROTOCOL: z.enum(['http/protobuf', 'http/json']).default('http/protobuf'),
  /** Where a Zipkin server takes spans (`npm run observe:traces` starts one there). */
  OTEL_EXPORTER_ZIPKIN_ENDPOINT: z
    .url({ protocol: /^https?$/ })
    .default('http://127.0.0.1:9411/api/v2/spans'),
  /** `true` keeps tracing off whatever else is set, as the OpenTelemetry spec defines it. */
  OTEL_SDK_DISABLED: z.enum(['true', 'false']).optional(),
  /** The process's `service.name`; by default the folder of the entry point (`commerce-service`, `gateway`). */
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
  /** Which traces are kept: a parent's decision is followed, and a new trace is always kept, by default. */
  OTEL_TRACES_SAMPLER: z.enum(samplers).default('parentbased_always_on'),
  /** The ratio of the `traceidratio` samplers, 0 to 1. */
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).optional(),
  /** Milliseconds between two exports of the finished spans (the SDK's default, 5 s, unless set). */
  OTEL_BSP_SCHEDULE_DELAY: z.coerce.number().int().positive().default(5_000),
});

export type TracingEnv = z.output<typeof tracingEnvSchema>;

export type TraceSampler = (typeof samplers)[number];

/** Where the spans go. */
export type SpanDestination =
  { kind: 'otlp'; url: string; protocol: 'http/protobuf' | 'http/json' } | { kind: 'zipkin'; url: string };

/** What `startTracing` needs; undefined from `tracingSettings` means tracing stays off. */
export interface TracingSettings {
  serviceName: string;
  destination: SpanDestination;
  sampler: TraceSampler;
  samplerRatio: number;
  exportDelayMs: number;
  /**
   * Whether node:http and undici are traced by OpenTelemetry's instrumentations. Off for a process
   * that makes its own HTTP spans (the gateway, ADR 0041): the instrumentations would pay for every
   * request, sampled or not, and make a second server and client span. Traced when left out.
   */
  instrumentHttp?: boolean;
}

/** Entry points (by their package folder) that trace their own HTTP server and client. */
const ownHttpTracing: ReadonlySet<string> = new Set(['gateway']);

/** Tracing's settings from a checked environment, or undefined when tracing stays off. */
export function tracingSettings(
  env: TracingEnv,
  entryPoint: string | undefined,
): TracingSettings | undefined {
  if (env.OTEL_SDK_DISABLED === 'true') return undefined;
  const destination = destinationOf(env);
  if (destination === undefined) return undefined;
  return {
    serviceName: env.OTEL_SERVICE_NAME ?? serviceNameOf(entryPoint),
    destination,
    sampler: env.OTEL_TRACES_SAMPLER,
    samplerRatio: env.OTEL_TRACES_SAMPLER_ARG ?? 1,
    exportDelayMs: env.OTEL_BSP_SCHEDULE_DELAY,
    instrumentHttp: !ownHttpTracing.has(serviceNameOf(entryPoint)),
  };
}

function destinationOf(env: TracingEnv): SpanDestination | undefined {
  switch (env.OTEL_TRACES_EXPORTER) {
    case 'none':
      return undefined;
    case 'zipkin':
      return { kind: 'zipkin', url: env.OTEL_EXPORTER_ZIPKIN_ENDPOINT };
    case 'otlp': {
      const url =
        env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
        (env.OTEL_EXPORTER_OTLP_ENDPOINT === undefined
          ? undefined
          : `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`);
      return url === undefined ? undefined : { kind: 'otlp', url, protocol: env.OTEL_EXPORTER_OTLP_PROTOCOL };
    }
  }
}

/**
 * `data-services/commerce-service/src/main.ts` → `commerce-service`, `infra/gateway/src/main.ts` →
 * `gateway`: every entry point lives in `<package>/src/`, so the folder above `src` names the
 * process. Launchers that run two kinds of process from one package (the short domain's
 * `redirect-main.ts`) set OTEL_SERVICE_NAME instead.
 */
export function serviceNameOf(entryPoint: string | undefined): string {
  const parts = (entryPoint ?? '').split(/[\\/]/);
  const src = parts.lastIndexOf('src');
  return (src > 0 ? parts[src - 1] : undefined) ?? 'strata';
}
