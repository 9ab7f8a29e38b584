// What tracing costs a gateway request, in one process and without sockets (issue 20):
// `flock /work/bench.lock node bench/gateway/span-path.ts [--repetitions 20] [--requests 20000]
// [--cycle off,0,off,0.1,off,1] [--caller]` (one share alone, e.g. `--cycle 0.1`, for a profile).
// Each request runs the gateway's own trace code as a proxied request does (request-trace.ts):
// `startRequestSpan`, the pipeline's work inside `inRequestSpan` (one turn of the event loop, then
// the upstream headers written by `sendTraceContextUpstream` and the attempt recorded), and
// `endRequestSpan`, with the real pipeline of a traced process (`startTracing`, the parent-based
// ratio sampler, the EncodingSpanProcessor, OTLP/HTTP to the discarding sink in a process of its own).
// A share is the sampled share of new traces (the gateway is each trace's root, as on bench:gateway,
// decided in slices, ADR 0077/0082), or with `--caller` the share of requests whose caller's
// `traceparent` is sampled. `off` runs the same requests with tracing's code skipped, as an
// untraced gateway does. Slices of `--requests` requests take turns; a slice's CPU per request less
// the mean of its `off` neighbours' is what tracing costs a request at that share; over the share,
// what it costs a sampled request (share 0: the unsampled request's own cost). Medians printed.
import { parseArgs } from 'node:util';
import type { ChildProcess } from 'node:child_process';
import { switchTracingOn } from '../../infra/telemetry/src/tracing-switch.ts';
import { cpuPerItem, overNeighbours, startTracingToSink, sweep } from '../shared/span-path-slices.ts';
import { median } from '../shared/median.ts';

const { values } = parseArgs({
  options: {
    repetitions: { type: 'string', default: '20' },
    requests: { type: 'string', default: '20000' },
    lanes: { type: 'string', default: '32' },
    cycle: { type: 'string', default: 'off,0,off,0.1,off,1' },
    caller: { type: 'boolean', default: false },
  },
});
const repetitions = Number(values.repetitions);
const perSlice = Number(values.requests);
const lanes = Number(values.lanes);
/** The share of a slice with tracing's code skipped, as an untraced gateway runs. */
const OFF = -1;
const CYCLE = values.cycle.split(',').map((share) => (share === 'off' ? OFF : Number(share)));

const children: ChildProcess[] = [];
const tracing = await startTracingToSink(children, {
  serviceName: 'gateway-span-path',
  sampler: 'parentbased_traceidratio',
  samplerRatio: 0.1,
  instrumentHttp: false,
});
// After the SDK, as in the gateway's process.
const { Exchange } = await import('../../infra/gateway/src/exchange.ts');
const { startRequestSpan, inRequestSpan, sendTraceContextUpstream, recordAttempt, endRequestSpan } =
  await import('../../infra/gateway/src/request-trace.ts');
type AnExchange = InstanceType<typeof Exchange>;

const socket = { remoteAddress: '127.0.0.1' };
const route = { name: 'plain', prefix: '/plain' };
const entry = { instance: { id: 'bench-api-1', service: 'bench-api' }, origin: 'http://127.0.0.1:1' };
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
const hex16 = (value: number): string => value.toString(16).padStart(16, '0');

let n = 0;
/** One proxied request's trace work; `share` < 0: none, as with tracing off. */
async function request(share: number, sampled: boolean): Promise<void> {
  n += 1;
  const headers: Record<string, string> = { host: 'gateway', 'user-agent': 'wrk' };
  if (values.caller && share >= 0)
    headers.traceparent = `00-${hex16(Date.now())}${hex16(n)}-${hex16(n)}-0${sampled ? 1 : 0}`;
  const res = { statusCode: 200, writableFinished: true };
  const exchange: AnExchange = new Exchange(
    { method: 'GET', url: '/plain/courses/1', headers, socket } as never,
    res as never,
  );
  exchange.route = route as never;
  if (share >= 0) startRequestSpan(exchange);
  await inRequestSpan(exchange, async () => {
    await yieldToLoop();
    const upstream: Record<string, string | string[]> = { 'x-request-id': exchange.requestId };
    if (exchange.span !== undefined || exchange.callerTraceparent !== undefined)
      sendTraceContextUpstream(exchange, upstream);
    if (exchange.span !== undefined) recordAttempt(exchange, entry as never, 200);
  });
  if (exchange.span !== undefined) endRequestSpan(exchange);
}

/** CPU µs per request of a slice at `share`. */
function slice(share: number): Promise<number> {
  if (share !== OFF) switchTracingOn('parentbased_traceidratio', values.caller ? 1 : share);
  return cpuPerItem(perSlice, lanes, share, (sampled) => request(share, sampled));
}

const slices = await sweep(CYCLE, repetitions, slice);

const off = slices.filter((s) => s.share < 0).map((s) => s.µs);
console.log(
  `gateway span-path (${values.caller ? "callers' traceparents" : 'new traces'}): ${repetitions} repetitions of ${perSlice} requests a share, ${lanes} lanes; ` +
    `untraced ${off.length > 0 ? median(off).toFixed(2) : '–'} µs a request (median)`,
);
for (const share of new Set(CYCLE.filter((share) => share >= 0))) {
  const extra = overNeighbours(slices, share, OFF);
  if (extra.length === 0) continue;
  const perRequest = median(extra);
  console.log(
    `share ${share}: +${perRequest.toFixed(2)} µs a request over untraced (median of ${extra.length})` +
      (share > 0 ? `, ${(perRequest / share).toFixed(2)} µs a sampled request` : ''),
  );
}
await tracing.shutdown();
for (const child of children) child.kill('SIGTERM');
