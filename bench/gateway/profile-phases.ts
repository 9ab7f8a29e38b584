// node bench/gateway/profile-phases.ts <file.cpuprofile> <cycle> [top]: a V8 CPU profile of the
// gateway under the sampling phases (BENCH_GATEWAY_CPU_PROF with BENCH_GATEWAY_SAMPLING_SECONDS),
// split by the wall-clock second each sample fell in, as the bench's cycle gives each second its
// share of sampled requests (`0,0.1`: even seconds none, odd seconds one in ten). It prints, per
// share, the mean self time per second by kind of code, then the tracing code's top functions in
// the sampled seconds. Tracing's own code only runs for sampled requests (a caller's unsampled
// request makes no span, ADR 0068), so its milliseconds per second over the sampled requests per
// second is what one sampled request costs in it; the upstream client's milliseconds per second
// (the proxying, the same for a sampled request as for an unsampled one: both carry a
// `traceparent`) stand in for the request rate. That client is the gateway's own since ADR 0072
// (infra/gateway/src/upstream-*.ts); a profile of an older build counts undici's instead.
//
// Run it on the machine that took the profile, soon after: V8 stamps samples with the monotonic
// clock, which is placed on the wall clock here by the time since boot (/proc/uptime, to 10 ms).
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

const [file, cycleText, topText] = process.argv.slice(2);
if (file === undefined || cycleText === undefined) {
  console.error('usage: profile-phases.ts <file.cpuprofile> <cycle, e.g. 0,0.1> [top]');
  process.exit(2);
}
const cycle = cycleText.split(',').map(Number);
const top = Number(topText ?? 15);
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const bootMs = Date.now() - Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]) * 1000;
const secondOf = (monotonicUs: number) => Math.floor((monotonicUs / 1000 + bootMs) / 1000);

const kinds = [
  'gateway',
  'upstream client',
  'node',
  'native',
  'gc',
  'program',
  'otel sdk',
  'otel encode',
  'telemetry',
  'other',
];

function kindOf({ functionName, url }: ProfileNode['callFrame']): string | undefined {
  if (functionName === '(idle)') return undefined;
  if (functionName === '(garbage collector)') return 'gc';
  if (functionName === '(program)') return 'program';
  if (url === '') return 'native';
  if (url.includes('@opentelemetry/otlp')) return 'otel encode';
  if (url.includes('@opentelemetry/')) return 'otel sdk';
  if (url.includes('infra/telemetry/')) return 'telemetry';
  if (url.includes('infra/gateway/src/upstream-') || url.includes('node_modules/undici/'))
    return 'upstream client';
  if (url.includes('infra/gateway/')) return 'gateway';
  if (url.startsWith('node:')) return 'node';
  return 'other';
}

const isTracing = (kind: string) => kind.startsWith('otel') || kind === 'telemetry';

// The first seconds (start-up, the bench's warm-up) and the last two (wrk stopping) are left out.
const first = secondOf(profile.startTime) + 8;
const last = secondOf(profile.endTime) - 2;
const seconds = new Map<number, Map<string, number>>();
const tracingFunctions = new Map<number, Map<string, number>>();
let at = profile.startTime;
for (let index = 0; index < profile.samples.length; index += 1) {
  at += profile.timeDeltas[index] ?? 0;
  const second = secondOf(at);
  if (second < first || second > last) continue;
  const frame = byId.get(profile.samples[index]!)!.callFrame;
  const kind = kindOf(frame);
  const ms = (profile.timeDeltas[index] ?? 0) / 1000;
  const share = cycle[second % cycle.length]!;
  const kindsOfSecond = seconds.get(second) ?? new Map<string, number>();
  seconds.set(second, kindsOfSecond);
  if (kind === undefined) continue;
  kindsOfSecond.set(kind, (kindsOfSecond.get(kind) ?? 0) + ms);
  if (!isTracing(kind)) continue;
  const functions = tracingFunctions.get(share) ?? new Map<string, number>();
  tracingFunctions.set(share, functions);
  const key = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*\/(node_modules|infra)\//, '')}:${frame.lineNumber + 1}`;
  functions.set(key, (functions.get(key) ?? 0) + ms);
}

const shares = [...new Set(cycle)].sort((a, b) => a - b);
const count = new Map(shares.map((share) => [share, 0]));
for (const second of seconds.keys()) {
  const share = cycle[second % cycle.length]!;
  count.set(share, count.get(share)! + 1);
}
console.log(`${file}: self time, ms per second by kind of code (means over each share's seconds)`);
console.log(
  ['share', 'seconds', ...kinds, 'tracing', 'tracing ÷ client'].map((h) => h.padStart(17)).join(''),
);
for (const share of shares) {
  const list = [...seconds].filter(([second]) => cycle[second % cycle.length] === share).map(([, k]) => k);
  const mean = (kind: string) => list.reduce((sum, k) => sum + (k.get(kind) ?? 0), 0) / list.length;
  const tracing = kinds.filter(isTracing).reduce((sum, kind) => sum + mean(kind), 0);
  const cells = [share, list.length, ...kinds.map((kind) => mean(kind).toFixed(1)), tracing.toFixed(1)];
  cells.push((tracing / mean('upstream client')).toFixed(3));
  console.log(cells.map((cell) => String(cell).padStart(17)).join(''));
}
for (const share of shares.filter((share) => share > 0)) {
  console.log(`\ntracing's top ${top} functions in the seconds sampling ${share}, ms per second:`);
  const seen = count.get(share)!;
  for (const [key, ms] of [...(tracingFunctions.get(share) ?? new Map<string, number>())]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top))
    console.log(`${(ms / seen).toFixed(2).padStart(8)}  ${key}`);
}
