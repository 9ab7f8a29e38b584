import { processMetrics } from '@strata/runtime/plain-process';
import { DATA_SERVICE_V8_FLAGS } from '@strata/runtime/data-service-v8-flags';
import type { Peer } from '../peer.ts';
import { spawnServer } from '../spawn-server.ts';
import { otlpSink } from './otlp-sink.ts';
import { serverEnv } from './strata-setup.ts';
import { strataPeer } from './strata.ts';

/*
 * The `strata` row observed as a deployed service is: the server process started with the tracing
 * preload (`--import @strata/runtime/tracing`, ADR 0025) and its RPC handler timed into a
 * Prometheus registry (ADR 0024), as serve-data-service assembles it; the client process with the
 * SDK started and a registry of its own. Spans go by OTLP/HTTP protobuf, batched, to a sink that
 * discards them (otlp-sink.ts), so encoding and sending them is measured. Their ratios against the
 * `strata` row are the cost of observability.
 */

/** How the client process, forked by run.ts with the bench's environment, finds the sink. */
const SINK_VARIABLE = 'BENCH_OTLP_ENDPOINT';

interface Sampling {
  /** OTEL_TRACES_SAMPLER */
  sampler: 'parentbased_always_on' | 'parentbased_traceidratio' | 'parentbased_always_off';
  ratio: number;
}

function observedPeer(options: {
  id: string;
  name: string;
  features: string;
  /** Undefined: tracing stays off (the metrics-only row). */
  sampling: Sampling | undefined;
}): Peer {
  const { sampling } = options;
  return {
    ...strataPeer,
    id: options.id,
    name: options.name,
    features: options.features,
    exportsSpans: sampling !== undefined,
    async startServer(nodeOptions) {
      const tracing: Record<string, string> = {};
      const preload: string[] = [];
      if (sampling !== undefined) {
        const sink = await otlpSink();
        process.env[SINK_VARIABLE] = sink.url;
        preload.push('--import', '@strata/runtime/tracing');
        Object.assign(tracing, {
          OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
          OTEL_SERVICE_NAME: 'bench-server',
          OTEL_TRACES_SAMPLER: sampling.sampler,
          OTEL_TRACES_SAMPLER_ARG: String(sampling.ratio),
        });
      }
      return spawnServer(new URL('./strata-server.ts', import.meta.url), {
        // Started as a data service is (data-service-v8-flags.ts), traced or not, so the rows differ
        // by observability alone.
        execArgv: [...DATA_SERVICE_V8_FLAGS, ...preload, ...nodeOptions],
        env: { ...serverEnv({ tls: false, layers: 'full' }), BENCH_METRICS: 'on', ...tracing },
      });
    },
    async createClient(port) {
      processMetrics();
      if (sampling !== undefined) {
        const endpoint = process.env[SINK_VARIABLE];
        if (endpoint === undefined)
          throw new Error(`${SINK_VARIABLE} is unset; run through bench/rpc/run.ts`);
        // Imported here, so the other rows' client processes load none of the SDK.
        const { startTracing } = await import('@strata/telemetry/sdk');
        const tracing = await startTracing({
          serviceName: 'bench-client',
          destination: { kind: 'otlp', url: `${endpoint}/v1/traces`, protocol: 'http/protobuf' },
          sampler: sampling.sampler,
          samplerRatio: sampling.ratio,
          exportDelayMs: 5_000,
        });
        const client = await strataPeer.createClient(port);
        // After the measured window: the last batch reaches the sink, which counts the row's
        // sampled calls (sampled-in-window.ts).
        return {
          call: (payload) => client.call(payload),
          close: () => client.close().then(tracing.shutdown),
        };
      }
      return strataPeer.createClient(port);
    },
  };
}

export const strataMeteredPeer = observedPeer({
  id: 'strata-metrics',
  name: 'strata, metrics on',
  features:
    'the strata row with Prometheus metrics as a data service has them: the handler timed into a lean ' +
    'histogram by service, method and code, and the default process metrics in both processes; no tracing',
  sampling: undefined,
});

/**
 * A second metrics-on row of the same build, measured like the traced rows: what two identical
 * rows differ by in the same run, the noise an observed ratio is read against.
 */
export const strataMeteredControlPeer = observedPeer({
  id: 'strata-metrics-control',
  name: 'strata, metrics on (control)',
  features:
    'the strata-metrics row again, a second server and client of the same build: its ratio to strata-metrics ' +
    'is what two identical rows differ by in this run',
  sampling: undefined,
});

export const strataObservedPeer = observedPeer({
  id: 'strata-observed',
  name: 'strata, traced (all) + metrics',
  features:
    'the strata-metrics row with tracing on, every trace kept (parentbased_always_on): a CLIENT and a SERVER ' +
    'span per call, W3C context in the frame, batched OTLP/HTTP protobuf export to a discarding sink',
  sampling: { sampler: 'parentbased_always_on', ratio: 1 },
});

export const strataSampledPeer = observedPeer({
  id: 'strata-observed-10',
  name: 'strata, traced (10%) + metrics',
  features:
    'the strata-observed row sampling one trace in ten (parentbased_traceidratio 0.1); the unsampled ' +
    'calls carry their context with the sampled flag off and record nothing',
  sampling: { sampler: 'parentbased_traceidratio', ratio: 0.1 },
});

export const strataUnsampledPeer = observedPeer({
  id: 'strata-observed-0',
  name: 'strata, traced (none) + metrics',
  features:
    'the strata-observed row with a sampler that keeps no trace (parentbased_always_off): every process ' +
    'traced, nothing recorded or exported, so it shows what a traced process costs before any span is kept',
  sampling: { sampler: 'parentbased_always_off', ratio: 1 },
});
