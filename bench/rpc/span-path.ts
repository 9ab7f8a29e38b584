// What tracing costs a sampled RPC call, both sides, in one process and without sockets:
// `flock /work/bench.lock node bench/rpc/span-path.ts [--repetitions 30] [--calls 10000] [--work 0]
// [--cycle 0,0.1,0,1]` (a cycle of one share, e.g. `--cycle 1`, for a profile: no figures then).
// It runs infra/rpc's own span code as bench:rpc's sampling phases do (phase-calls.ts): each call is
// made in a remote parent whose sampled flag says whether it is sampled, the client's span
// (`inClientSpan`) writes its context into the request's metadata, the server's side
// (`tracedHandler`) extracts it and makes its span, both end, and the real pipeline of a traced
// process (`startTracing`: the SDK, the parent-based sampler, the EncodingSpanProcessor) exports
// them over OTLP/HTTP to the discarding sink (otlp-sink.ts) in a process of its own. The calls
// themselves do nothing but, with `--work N`, pack and unpack a 1 KB payload N times, and yield to
// the event loop once between the two sides (so the processor's timers and exports run).
//
// Slices of `--calls` calls take turns at the cycle's shares; a slice's CPU (this process's
// user + system) per call, less the mean of its two unsampled neighbours', divided by its share, is
// the tracing CPU per sampled call at that share. Printed: min and median over the repetitions.
import { parseArgs } from 'node:util';
import type { ChildProcess } from 'node:child_process';
import { context, trace, TraceFlags } from '@opentelemetry/api';
import { pack, unpack } from 'msgpackr';
import { LEAN_ROOT_CONTEXT } from '@strata/telemetry';
import { cpuPerItem, overNeighbours, startTracingToSink, sweep } from '../shared/span-path-slices.ts';
import { median } from '../shared/median.ts';
import { makeCourseDraft } from './payload.ts';

const { values } = parseArgs({
  options: {
    repetitions: { type: 'string', default: '30' },
    calls: { type: 'string', default: '10000' },
    lanes: { type: 'string', default: '16' },
    work: { type: 'string', default: '0' },
    cycle: { type: 'string', default: '0,0.1,0,1' },
  },
});
const repetitions = Number(values.repetitions);
const callsPerSlice = Number(values.calls);
const lanes = Number(values.lanes);
const work = Number(values.work);
const CYCLE = values.cycle.split(',').map(Number);

const children: ChildProcess[] = [];
const tracing = await startTracingToSink(children, {
  serviceName: 'span-path',
  sampler: 'parentbased_always_on',
  samplerRatio: 1,
});
// After the SDK: the RPC spans see tracing on.
const { inClientSpan, tracedHandler } = await import('../../infra/rpc/src/rpc-spans.ts');

const payload = makeCourseDraft();
const handler = tracedHandler(async (request) => {
  let value = request.payload;
  for (let round = 0; round < work; round += 1) value = unpack(pack(value));
  return { ok: true, result: value };
});
const signal = new AbortController().signal;
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
const hex16 = (value: number): string => value.toString(16).padStart(16, '0');

let n = 0;
/** One call, sampled or not, through both sides' span code. */
function call(sampled: boolean): Promise<unknown> {
  n += 1;
  const parent = trace.setSpanContext(LEAN_ROOT_CONTEXT, {
    traceId: hex16(Date.now()) + hex16(n),
    spanId: hex16(n),
    traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
  });
  return context.with(parent, () => {
    const metadata = {};
    return inClientSpan('catalog', 'Course.get', metadata, async () => {
      await yieldToLoop();
      return handler({ service: 'catalog', method: 'Course.get', payload, metadata }, signal);
    });
  });
}

const slices = await sweep(CYCLE, repetitions, (share) => cpuPerItem(callsPerSlice, lanes, share, call));

const unsampled = slices.filter((s) => s.share === 0).map((s) => s.µs);
console.log(
  `span-path: ${repetitions} repetitions of ${callsPerSlice} calls a share, ${lanes} lanes, work ${work}; ` +
    `unsampled ${median(unsampled).toFixed(2)} µs a call (median)`,
);
for (const share of new Set(CYCLE.filter((share) => share > 0))) {
  const perSampled = overNeighbours(slices, share, 0).map((extra) => extra / share);
  const sorted = [...perSampled].sort((a, b) => a - b);
  if (sorted.length === 0) continue;
  console.log(
    `share ${share}: µs per sampled call (client + server spans): min ${sorted[0]!.toFixed(2)}, ` +
      `median ${median(perSampled).toFixed(2)}, p25 ${sorted[Math.floor(sorted.length / 4)]!.toFixed(2)}, ` +
      `p75 ${sorted[Math.floor((3 * sorted.length) / 4)]!.toFixed(2)}`,
  );
}
await tracing.shutdown();
for (const child of children) child.kill('SIGTERM');
