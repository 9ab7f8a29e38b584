import { createRequire, register, syncBuiltinESMExports } from 'node:module';
import { randomUUID } from 'node:crypto';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { registerInstrumentations, type Instrumentation } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { MySQL2Instrumentation } from '@opentelemetry/instrumentation-mysql2';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type Sampler,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { createAddHookMessageChannel } from 'import-in-the-middle';
import {
  register as registerInThread,
  supportsSyncHooks,
  type RegisterHooksOptions,
} from 'import-in-the-middle/register-hooks.mjs';
import { EncodingSpanProcessor } from './encoding-span-processor.ts';
import { OrphanStatementsDropped } from './orphan-statements-dropped.ts';
import { reportSdkDiagnostics } from './sdk-diagnostics.ts';
import { carriesTraceContext, isRequestWithOwnSpan } from './own-http-spans.ts';
import type { SpanDestination, TraceSampler, TracingSettings } from './tracing-config.ts';
import { pooledIdGenerator } from './random-ids.ts';
import { RootsDecidedAtTheSite } from './roots-decided-at-the-site.ts';
import { switchTracingOn } from './tracing-switch.ts';

/** How the process stops tracing: the last spans are exported before it exits. */
export interface RunningTracing {
  shutdown(): Promise<void>;
}

/**
 * Starts the OpenTelemetry SDK: W3C propagation, spans batched to an OTLP/HTTP collector
 * (protobuf, encoded as each span ends; or JSON when asked) or a Zipkin server, and the
 * instrumentations of the libraries Strata uses (node:http servers and clients,
 * undici and fetch, ioredis, mysql2, pino's log lines). It must run before those libraries load
 * (the `--import` preload does it), because instrumentations patch a module as it is loaded.
 * This module is imported only when tracing is on, so a process without it loads none of the SDK.
 */
export async function startTracing(settings: TracingSettings): Promise<RunningTracing> {
  reportSdkDiagnostics();
  // ESM imports of the instrumented packages are patched by import-in-the-middle's loader; told
  // which modules the instrumentations hook, it leaves every other module (ours included) alone.
  // In the loading thread where Node allows it: on a hooks thread every import of the process would
  // wait for a round trip there (ADR 0044). Its options type leaves out the message port the
  // in-thread loader reads too (create-hook.mjs, applyOptions).
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  if (supportsSyncHooks()) registerInThread(registerOptions.data as RegisterHooksOptions);
  else register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);
  const provider = installProvider(
    settings.serviceName,
    settings.instrumentHttp ?? true,
    samplerOf(settings),
    processorOf(settings),
  );
  switchTracingOn(settings.sampler, settings.samplerRatio);
  await waitForAllMessagesAcknowledged();
  return { shutdown: () => provider.shutdown() };
}

/** The SDK with `processor`, and the instrumentations, installed as this process's globals. */
function installProvider(
  serviceName: string,
  instrumentHttp: boolean,
  sampler: Sampler,
  processor: SpanProcessor,
): TracerProvider {
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: serviceName,
      // Several instances of one service run at once; each keeps its own spans apart.
      'service.instance.id': randomUUID(),
      'process.pid': process.pid,
    }),
    sampler,
    spanProcessors: [processor],
    idGenerator: pooledIdGenerator,
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  registerInstrumentations({ instrumentations: instrumentations(instrumentHttp), tracerProvider: provider });
  // node:http is already loaded (Node loads it early); the instrumentation patches its CommonJS
  // exports when it is required, and ESM named imports (`import { createServer } from 'node:http'`)
  // see the patched functions only once the builtin's ESM exports are synced.
  const require = createRequire(import.meta.url);
  require('node:http');
  require('node:https');
  syncBuiltinESMExports();
  return provider;
}

/*
 * Work outside any request (polls, a key set fetched on a timer, probes) starts no trace of its own:
 * a client span needs a parent, and health probes are not traced, so traces are requests and events.
 * A process that traces its own HTTP (`instrumentHttp` false: the gateway) loads neither HTTP
 * instrumentation; one that shares its process with such a server leaves that server's requests,
 * and the upstream requests it sends with their trace context already set, to it.
 */
function instrumentations(instrumentHttp: boolean): Instrumentation[] {
  const http = instrumentHttp
    ? [
        new HttpInstrumentation({
          ignoreIncomingRequestHook: (request) =>
            /^\/(health|ready|live|metrics)/.test(request.url ?? '') || isRequestWithOwnSpan(request),
          requireParentforOutgoingSpans: true,
        }),
        new UndiciInstrumentation({
          requireParentforSpans: true,
          ignoreRequestHook: (request) => carriesTraceContext(request.headers),
        }),
      ]
    : [];
  return [
    ...http,
    new IORedisInstrumentation({ requireParentSpan: true }),
    // mysql2 has no such option: OrphanStatementsDropped, in the sampler, does it.
    new MySQL2Instrumentation(),
    // trace_id and span_id on every log line written inside a span; the lines stay on stdout.
    new PinoInstrumentation({ disableLogSending: true }),
  ];
}

/** OTLP/protobuf spans are encoded as they end (ADR 0055); JSON and Zipkin go through the SDK's batching. */
function processorOf(settings: TracingSettings): SpanProcessor {
  const { destination, exportDelayMs } = settings;
  if (destination.kind === 'otlp' && destination.protocol === 'http/protobuf')
    return new EncodingSpanProcessor({ url: destination.url, scheduledDelayMillis: exportDelayMs });
  return new BatchSpanProcessor({ exporter: exporterOf(destination), scheduledDelayMillis: exportDelayMs });
}

function exporterOf(destination: SpanDestination): SpanExporter {
  return destination.kind === 'zipkin'
    ? new ZipkinExporter({ url: destination.url })
    : new OtlpJsonExporter({ url: destination.url });
}

function samplerOf(settings: TracingSettings): Sampler {
  return new RootsDecidedAtTheSite(new OrphanStatementsDropped(configuredSampler(settings)));
}

function configuredSampler(settings: TracingSettings): Sampler {
  const root: Record<TraceSampler, () => Sampler> = {
    always_on: () => new AlwaysOnSampler(),
    always_off: () => new AlwaysOffSampler(),
    traceidratio: () => new TraceIdRatioBasedSampler(settings.samplerRatio),
    parentbased_always_on: () => new ParentBasedSampler({ root: new AlwaysOnSampler() }),
    parentbased_always_off: () => new ParentBasedSampler({ root: new AlwaysOffSampler() }),
    parentbased_traceidratio: () =>
      new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(settings.samplerRatio) }),
  };
  return root[settings.sampler]();
}
