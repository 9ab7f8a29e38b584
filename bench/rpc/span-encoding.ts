// The OTLP encoding of a group of ended RPC spans alone, OpenTelemetry's serializer against the
// platform's encoder (infra/telemetry/src/otlp-span-encoder.ts, ADR 0079), in one process:
// `flock /work/bench.lock node bench/rpc/span-encoding.ts [--seconds-per-size 4]`.
// The spans are the SDK's own, shaped as infra/rpc's (rpc.system, rpc.service, rpc.method; a
// CLIENT span from a lean root, a SERVER span with a remote parent) under the resource
// start-tracing.ts gives a process. Group sizes are those the encoding processor makes: 1 and ~3
// when sampling is sparse (its 5-ms timer closes the group), ~14 at bench:rpc's one in ten, 32 full.
// The two encoders take turns in short slices so drift on a shared machine falls on both.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace';
import { encodeSpans } from '../../infra/telemetry/src/span-batch.ts';
import { median } from '../shared/median.ts';

const { values } = parseArgs({ options: { 'seconds-per-size': { type: 'string', default: '4' } } });
const secondsPerSize = Number(values['seconds-per-size']);

const memory = new InMemorySpanExporter();
const provider = new TracerProvider({
  resource: resourceFromAttributes({
    'service.name': 'catalog',
    'service.instance.id': randomUUID(),
    'process.pid': process.pid,
  }),
  spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
});
const tracer = provider.getTracer('@strata/rpc');

function rpcSpans(count: number): ReadableSpan[] {
  memory.reset();
  for (let index = 0; index < count; index += 1) {
    const attributes = { 'rpc.system': 'strata', 'rpc.service': 'catalog', 'rpc.method': 'Course.get' };
    const client = tracer.startSpan('catalog/Course.get', { kind: SpanKind.CLIENT, attributes });
    const remote = trace.setSpanContext(context.active(), { ...client.spanContext(), isRemote: true });
    tracer.startSpan('catalog/Course.get', { kind: SpanKind.SERVER, attributes }, remote).end();
    client.end();
  }
  // The server's spans (each ends first): what one process encodes is its own side's.
  return memory.getFinishedSpans().filter((_, index) => index % 2 === 0);
}

type Encode = (spans: ReadableSpan[]) => Uint8Array | undefined;
const encoders: [string, Encode][] = [
  ['OpenTelemetry serializeRequest', (spans) => ProtobufTraceSerializer.serializeRequest(spans)],
  ['encodeSpans', encodeSpans],
];

/** µs a span over `calls` encodings of `spans`. */
function timed(encode: Encode, spans: ReadableSpan[], calls: number): number {
  let bytes = 0;
  const start = process.hrtime.bigint();
  for (let call = 0; call < calls; call += 1) bytes += encode(spans)!.length;
  const elapsed = Number(process.hrtime.bigint() - start) / 1000;
  if (bytes === 0) throw new Error('nothing encoded');
  return elapsed / (calls * spans.length);
}

console.log(
  `span-encoding: ${secondsPerSize} s per group size, encoders alternating in slices of ~2,000 spans`,
);
console.log('| spans a group | OpenTelemetry µs a span | encodeSpans µs a span | ratio |');
console.log('| ------------- | ----------------------- | --------------------- | ----- |');
for (const size of [1, 3, 14, 32]) {
  const spans = rpcSpans(size);
  const same = Buffer.compare(Buffer.from(encoders[0]![1](spans)!), Buffer.from(encoders[1]![1](spans)!));
  if (same !== 0) throw new Error(`the encoders disagree on a group of ${size}`);
  const calls = Math.max(1, Math.round(2000 / size));
  for (const [, encode] of encoders) timed(encode, spans, calls * 20); // warm-up
  const samples: number[][] = [[], []];
  const until = Date.now() + secondsPerSize * 1000;
  while (Date.now() < until)
    for (const [index, [, encode]] of encoders.entries()) samples[index]!.push(timed(encode, spans, calls));
  const [theirs, ours] = samples.map(median) as [number, number];
  console.log(`| ${size} | ${theirs.toFixed(2)} | ${ours.toFixed(2)} | ${(ours / theirs).toFixed(2)}× |`);
}
