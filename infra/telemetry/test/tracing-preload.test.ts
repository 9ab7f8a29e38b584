import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

// What a process started with the preload has, read from inside it: whether spans are made, and
// which tracer provider the OpenTelemetry API hands out (the no-op one unless the SDK started).
const probe = `
import { trace } from '@opentelemetry/api';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { tracingIsOn } from '@strata/telemetry';
const delegate = trace.getTracerProvider().getDelegate();
const provider = delegate instanceof TracerProvider ? 'sdk' : delegate.constructor.name;
const span = trace.getTracer('probe').startSpan('probe');
console.log(JSON.stringify({ on: tracingIsOn(), provider, recording: span.isRecording() }));
`;

function runWithPreload(env: Record<string, string>) {
  const result = spawnSync(
    process.execPath,
    ['--import', '@strata/runtime/tracing', '--input-type=module', '-e', probe],
    {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ...env },
      encoding: 'utf8',
      timeout: 20_000,
    },
  );
  return {
    status: result.status,
    stderr: result.stderr,
    seen: result.status === 0 ? JSON.parse(result.stdout) : undefined,
  };
}

describe('the tracing preload (node --import @strata/runtime/tracing)', () => {
  it('starts nothing without an exporter: the API stays the no-op one and no span records', () => {
    expect(runWithPreload({})).toMatchObject({
      status: 0,
      seen: { on: false, provider: 'NoopTracerProvider', recording: false },
    });
  });

  it('starts the SDK when an OTLP endpoint is set', () => {
    // Nothing listens there; the probe's one span is never exported, so nothing waits for it.
    expect(runWithPreload({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' })).toMatchObject({
      status: 0,
      seen: { on: true, provider: 'sdk', recording: true },
    });
  });

  it("patches an instrumented package's ES module exports (import-in-the-middle's loader, in the loading thread)", () => {
    const result = spawnSync(
      process.execPath,
      [
        '--import',
        '@strata/runtime/tracing',
        '--input-type=module',
        '-e',
        "const pino = await import('pino'); console.log(JSON.stringify({ patched: !String(pino.default).startsWith('function pino') }));",
      ],
      {
        cwd: root,
        env: { PATH: process.env.PATH ?? '', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' },
        encoding: 'utf8',
        timeout: 20_000,
      },
    );
    expect({ status: result.status, stdout: result.stdout.trim() }).toEqual({
      status: 0,
      stdout: JSON.stringify({ patched: true }),
    });
  });

  it('refuses an invalid tracing environment before the process runs, naming the variable', () => {
    const refused = runWithPreload({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9',
      OTEL_TRACES_SAMPLER: 'sometimes',
    });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('OTEL_TRACES_SAMPLER');
  });
});
