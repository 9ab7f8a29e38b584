import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const spans = pathToFileURL(resolve(root, 'infra/rpc/src/rpc-spans.ts')).href;

// A contract call with no trace around it starts one, decided at the call (ADR 0077). Read from
// inside a process started with the tracing preload, as a data service's client runs: what the
// call's metadata carried, and the span active while it was sent.
const probe = `
import { trace } from '@opentelemetry/api';
import { setTimeout as sleep } from 'node:timers/promises';
import { inClientSpan } from '${spans}';
const calls = [];
for (let call = 0; call < Number(process.env.CALLS); call += 1) {
  // Each call in a slice of time of its own (10 ms, ADR 0077), so each is decided anew.
  if (process.env.SPREAD === 'yes') await sleep(11);
  const metadata = {};
  let recording = false;
  let ids;
  await inClientSpan('catalog', 'Course.get', metadata, async () => {
    const active = trace.getActiveSpan();
    recording = active?.isRecording() ?? false;
    if (active !== undefined) ids = active.spanContext().traceId + '-' + active.spanContext().spanId;
    return { ok: true, value: null };
  });
  calls.push({ traceparent: metadata.traceparent, recording, ids });
}
console.log(JSON.stringify(calls));
process.exit(0);
`;

function rootCalls(ratio: string, calls = 20, spread = false) {
  const result = spawnSync(
    process.execPath,
    ['--import', '@strata/runtime/tracing', '--input-type=module', '-e', probe],
    {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        // Nothing listens there; the process exits before any export.
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: ratio,
        CALLS: String(calls),
        SPREAD: spread ? 'yes' : 'no',
      },
      encoding: 'utf8',
      timeout: 30_000,
    },
  );
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as { traceparent: string; recording: boolean; ids?: string }[];
}

describe('a contract call that starts a trace', () => {
  it('that its ratio does not keep makes no span and sends a fresh unsampled traceparent', () => {
    const calls = rootCalls('0');
    for (const call of calls) {
      expect(call.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
      expect(call.recording).toBe(false);
      expect(call.ids).toBeUndefined();
    }
    expect(new Set(calls.map((call) => call.traceparent)).size).toBe(calls.length);
  });

  it('that its ratio keeps records a root span and sends its context, sampled', () => {
    for (const call of rootCalls('1')) {
      expect(call.recording).toBe(true);
      expect(call.traceparent).toBe(`00-${call.ids}-01`);
    }
  });

  it('is kept as often as the ratio says: the SDK does not decide the trace a second time', () => {
    const calls = rootCalls('0.5', 200, true);
    const kept = calls.filter((call) => call.recording);
    for (const call of kept) expect(call.traceparent).toBe(`00-${call.ids}-01`);
    // 200 draws at 0.5: the share's standard deviation is 0.035, and ±0.12 is over three of them.
    // Deciding twice would keep a quarter, four of them below the lower bound.
    expect(kept.length / calls.length).toBeGreaterThan(0.38);
    expect(kept.length / calls.length).toBeLessThan(0.62);
  });
});
