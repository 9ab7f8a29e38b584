import { describe, expect, it } from '@jest/globals';
import { serviceNameOf, tracingEnvSchema, tracingSettings } from '../src/tracing-config.ts';

const settingsOf = (env: Record<string, string>) =>
  tracingSettings(tracingEnvSchema.parse(env), '/srv/strata/data-services/commerce-service/src/main.ts');

describe('tracing settings from the environment', () => {
  it('keep tracing off when no exporter has anywhere to send spans', () => {
    expect(settingsOf({})).toBeUndefined();
    expect(
      settingsOf({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }),
    ).toBeUndefined();
    expect(
      settingsOf({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }),
    ).toBeUndefined();
  });

  it('send OTLP over protobuf to `<endpoint>/v1/traces`, or to the traces endpoint as given', () => {
    expect(settingsOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })).toEqual({
      serviceName: 'commerce-service',
      destination: { kind: 'otlp', url: 'http://collector:4318/v1/traces', protocol: 'http/protobuf' },
      sampler: 'parentbased_always_on',
      samplerRatio: 1,
      exportDelayMs: 5_000,
      instrumentHttp: true,
    });
    expect(
      settingsOf({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://traces:4318/spans',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      })?.destination,
    ).toEqual({ kind: 'otlp', url: 'http://traces:4318/spans', protocol: 'http/json' });
  });

  it('send to the local Zipkin when asked, and take the sampler and service name given', () => {
    expect(
      settingsOf({
        OTEL_TRACES_EXPORTER: 'zipkin',
        OTEL_SERVICE_NAME: 'commerce-service-eu',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.25',
      }),
    ).toMatchObject({
      serviceName: 'commerce-service-eu',
      destination: { kind: 'zipkin', url: 'http://127.0.0.1:9411/api/v2/spans' },
      sampler: 'parentbased_traceidratio',
      samplerRatio: 0.25,
    });
  });

  it('refuse a sampler, ratio or endpoint it does not know, naming the variable', () => {
    const refused = tracingEnvSchema.safeParse({
      OTEL_TRACES_SAMPLER: 'sometimes',
      OTEL_TRACES_SAMPLER_ARG: '2',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318',
    });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((issue) => issue.path.join('.')).sort()).toEqual([
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      'OTEL_TRACES_SAMPLER',
      'OTEL_TRACES_SAMPLER_ARG',
    ]);
  });

  it('name a process after the package folder of its entry point', () => {
    expect(serviceNameOf('infra/gateway/src/main.ts')).toBe('gateway');
    expect(serviceNameOf('/app/application-services/studio-api/src/main.ts')).toBe('studio-api');
    expect(serviceNameOf('scripts/start.ts')).toBe('strata');
    expect(serviceNameOf(undefined)).toBe('strata');
  });

  it('leave node:http and undici to the gateway, which traces its own requests (ADR 0041)', () => {
    const endpoint = tracingEnvSchema.parse({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' });
    expect(tracingSettings(endpoint, '/app/infra/gateway/src/main.ts')?.instrumentHttp).toBe(false);
    expect(
      tracingSettings(endpoint, '/app/application-services/studio-api/src/main.ts')?.instrumentHttp,
    ).toBe(true);
    // `npm start` runs the gateway beside the services in one process: the instrumentations stay.
    expect(tracingSettings(endpoint, '/app/scripts/start.ts')?.instrumentHttp).toBe(true);
  });
});
