import { tracingEnvSchema, tracingSettings } from '@strata/telemetry';
import { loadProcessConfig } from '../env-config.ts';

/*
 * `node --import @strata/runtime/tracing <entry point>`: every Strata process is started with this
 * preload (start:distributed, `npm start`, the container's entrypoint). It reads the tracing
 * environment like any other configuration (an invalid one stops the process with every bad
 * variable named) and, when an OTLP endpoint is set, starts the OpenTelemetry SDK before the
 * entry point's modules load, as the instrumentations need. Without an endpoint it imports none of
 * the SDK and changes nothing: every span site in Strata then reads one false boolean.
 */
const env = loadProcessConfig('tracing (OpenTelemetry)', tracingEnvSchema, process.env);
if (env === undefined) process.exit(2);
const settings = tracingSettings(env, process.argv[1]);
if (settings !== undefined) {
  const { startTracing } = await import('@strata/telemetry/sdk');
  const tracing = await startTracing(settings);
  // The batch of spans still waiting goes out when the process has nothing else left to do.
  process.once('beforeExit', () => void tracing.shutdown());
}
