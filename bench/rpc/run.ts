import { mkdirSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pack } from 'msgpackr';
import { z } from '@strata/shared-kernel';
import { summarize, type LoadShape, type Measurement } from './measure.ts';
import { makeCourseDraft } from './payload.ts';
import type { Peer, RunningServer } from './peer.ts';
import { againstMetrics } from './against-metrics.ts';
import { forkClient } from './client-fork.ts';
import { AGAINST_METRICS, BASELINE_NAME, METRICS_PEER, PEERS, SAMPLING_PHASES_PEER } from './peer-list.ts';
import { formatTable, type PeerOutcome } from './report-table.ts';
import { describeRound, type RoundOfRow } from './round-line.ts';
import { countSampledInWindow } from './sampled-in-window.ts';
import { otlpSink } from './peers/otlp-sink.ts';
import { describeSamplingPhases, measureSamplingPhases } from './sampling-phases.ts';

/** A round that has not finished in this long is stuck, not slow. */
const ROUND_TIMEOUT_MS = 180_000;
const USAGE =
  'usage: npm run bench:rpc -- [--concurrency 64] [--warmup 20000] [--calls 20000] [--rounds 3] [--peers strata,grpc,…] [--cpu-prof DIR] [--server-flags="--single-threaded-gc …"] [--sampling-seconds 240 [--sampling-cycle 0,0.1,0,1]]';

const optionsSchema = z.object({
  concurrency: z.coerce.number().int().min(1).max(1024),
  warmup: z.coerce.number().int().min(0).max(1_000_000),
  calls: z.coerce.number().int().min(100).max(1_000_000),
  // 0: no table, for a run of the sampling phases alone.
  rounds: z.coerce.number().int().min(0).max(20),
  peers: z.string().optional(),
  'cpu-prof': z.string().min(1).optional(),
  'server-flags': z
    .string()
    .trim()
    .regex(/^(--[\w-]+(=\S+)?)(\s+--[\w-]+(=\S+)?)*$/, 'Node or V8 flags, each --name or --name=value')
    .optional(),
  'sampling-seconds': z.coerce.number().int().min(0).max(3600),
  'sampling-cycle': z
    .string()
    .regex(/^(0|1|0?\.\d+)(,(0|1|0?\.\d+))*$/, 'shares between 0 and 1, comma-separated')
    .transform((cycle) => cycle.split(',').map(Number)),
});

type Options = LoadShape & {
  rounds: number;
  /** Issue 20: seconds of the sampling phases (sampling-phases.ts) after the table; 0 leaves them out. */
  samplingSeconds: number;
  /** Each second's share of sampled calls in the phases, second s taking cycle[s % length]. */
  samplingCycle: number[];
  peers: readonly Peer[];
  cpuProfileDir: string | undefined;
  /** Given to every row's server process alike, so a runtime flag is compared with every peer having it. */
  serverFlags: string[];
};

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      concurrency: { type: 'string', default: '64' },
      warmup: { type: 'string', default: '20000' },
      calls: { type: 'string', default: '20000' },
      rounds: { type: 'string', default: '3' },
      peers: { type: 'string' },
      'cpu-prof': { type: 'string' },
      'server-flags': { type: 'string' },
      'sampling-seconds': { type: 'string', default: '0' },
      'sampling-cycle': { type: 'string', default: '0,0.1,0,1' },
    },
  });
  const parsed = optionsSchema.safeParse(values);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `--${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`bad options\n${problems.join('\n')}`);
  }
  const {
    peers: only,
    'cpu-prof': profileDir,
    'server-flags': flags,
    'sampling-seconds': samplingSeconds,
    'sampling-cycle': samplingCycle,
    ...shape
  } = parsed.data;
  const cpuProfileDir = profileDir === undefined ? undefined : resolve(profileDir);
  const rest = {
    ...shape,
    samplingSeconds,
    samplingCycle,
    serverFlags: flags === undefined ? [] : flags.split(/\s+/),
  };
  if (only === undefined) return { ...rest, cpuProfileDir, peers: PEERS };
  const wanted = new Set(only.split(',').map((id) => id.trim()));
  const unknown = [...wanted].filter((id) => !PEERS.some((peer) => peer.id === id));
  if (unknown.length > 0) {
    throw new Error(
      `--peers: unknown ${unknown.join(', ')}; choose from ${PEERS.map((peer) => peer.id).join(', ')}`,
    );
  }
  return { ...rest, cpuProfileDir, peers: PEERS.filter((peer) => wanted.has(peer.id)) };
}

const measurementSchema = z.object({
  callsPerSecond: z.number(),
  p50Ms: z.number(),
  p99Ms: z.number(),
  cpuMicrosPerCall: z.number().optional(),
  clientCpuMicrosPerCall: z.number().optional(),
  serverCpuMicrosPerCall: z.number().optional(),
  measuredFromMs: z.number().optional(),
  measuredUntilMs: z.number().optional(),
  syscallsPerCall: z.number().optional(),
  migrationsPerThousand: z.number().optional(),
  preemptionsPerThousand: z.number().optional(),
  stolenMsPerSecond: z.number().optional(),
});

/**
 * With `--cpu-prof DIR`, each process of a round writes a V8 CPU profile when it exits into
 * `DIR/<peer>-round<N>-<side>/`, one file per thread (open it in Chrome DevTools or speedscope).
 */
function profilerOptions(dir: string | undefined, peer: Peer, round: number, side: string): string[] {
  if (dir === undefined) return [];
  // A folder per process, each thread's profile under Node's own file name (the main thread's has
  // thread id 0): one fixed name let a traced process's module-hooks thread (import-in-the-middle's
  // loader) overwrite its main thread's profile.
  return ['--cpu-prof', `--cpu-prof-dir=${join(dir, `${peer.id}-round${round}-${side}`)}`];
}

/** Runs the measurement in a client process of its own (client-process.ts) against `server`. */
async function runClient(
  peer: Peer,
  server: RunningServer,
  shape: LoadShape,
  nodeOptions: string[],
): Promise<Measurement> {
  const rowShape = peer.concurrency === undefined ? shape : { ...shape, concurrency: peer.concurrency };
  const job = { peer: peer.id, port: server.port, serverPid: server.process.pid, shape: rowShape };
  const measurement = measurementSchema.parse(
    await forkClient(job, nodeOptions, ROUND_TIMEOUT_MS).measurement,
  );
  return { ...measurement, cpuMicrosPerCall: measurement.cpuMicrosPerCall };
}

/**
 * The spans a traced row's processes export during its round, kept as the sink receives them and
 * counted once the client has said which window it measured.
 */
async function collectSpans(peer: Peer): Promise<{ stop(): Uint8Array[] }> {
  if (peer.exportsSpans !== true) return { stop: () => [] };
  const sink = await otlpSink();
  const bodies: Uint8Array[] = [];
  const keep = (body: Buffer): void => void bodies.push(body);
  sink.readers.add(keep);
  return {
    stop: () => {
      sink.readers.delete(keep);
      return bodies;
    },
  };
}

/**
 * One round of one peer: a fresh server process and a fresh client process. A traced row's
 * measurement carries the spans its measured window made, as the sink received them.
 */
async function runRound(peer: Peer, round: number, options: Options): Promise<RoundOfRow> {
  const spans = await collectSpans(peer);
  const server = await peer.startServer([
    ...options.serverFlags,
    ...profilerOptions(options.cpuProfileDir, peer, round, 'server'),
  ]);
  let measurement: Measurement;
  try {
    measurement = await runClient(
      peer,
      server,
      options,
      profilerOptions(options.cpuProfileDir, peer, round, 'client'),
    );
  } finally {
    // The server's last spans reach the sink as it stops.
    await server.stop();
  }
  const bodies = spans.stop();
  const { measuredFromMs, measuredUntilMs } = measurement;
  if (peer.exportsSpans !== true || measuredFromMs === undefined || measuredUntilMs === undefined)
    return { measurement, sampled: undefined };
  const sampled = { server: 0, client: 0 };
  const window = { fromMs: measuredFromMs, untilMs: measuredUntilMs };
  for (const body of bodies) countSampledInWindow(body, window, sampled);
  return { measurement, sampled };
}

let options: Options;
try {
  options = readOptions();
} catch (error) {
  console.error(`bench:rpc: ${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}

const payload = makeCourseDraft();
const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
console.log(
  'Strata RPC bench: unary calls on loopback; client and server each in a process of their own, fresh per round',
);
console.log(
  `node ${process.version} · ${availableParallelism()} cores (${cpu}) · concurrency ${options.concurrency} · ` +
    `${options.warmup} warm-up + ${options.calls} measured calls per peer per round · ${options.rounds} rounds · ` +
    `payload ${pack(payload).length} B msgpack / ${Buffer.byteLength(JSON.stringify(payload))} B JSON each way`,
);
console.log('This machine is shared and noisy: absolute numbers drift from run to run. Read the ratios.\n');
if (options.serverFlags.length > 0)
  console.log(`Every row's server process starts with ${options.serverFlags.join(' ')}\n`);
if (options.cpuProfileDir !== undefined) {
  mkdirSync(options.cpuProfileDir, { recursive: true });
  console.log(
    `CPU profiles of every client and server process go to ${options.cpuProfileDir} (the profiler slows every row down)\n`,
  );
}

// Rounds interleave the peers, so a burst of someone else's load on this shared machine lands on
// one round of several peers rather than on every round of one peer. Each round starts one peer
// further down the list: the control row showed a row's place in the round moving its figures by
// more than tracing's cost (the first row at 0.75–0.81× the CPU per call of the same build after it, in two runs of four), so every
// peer takes every place in turn instead of the first one always going first.
const measurements = new Map<Peer, Measurement[]>(options.peers.map((peer) => [peer, []]));
const failures = new Map<Peer, string>();
for (let round = 1; round <= options.rounds; round++) {
  const progress: string[] = [];
  const rowLines: string[] = [];
  const shift = (round - 1) % options.peers.length;
  const order = [...options.peers.slice(shift), ...options.peers.slice(0, shift)];
  for (const peer of order.filter((candidate) => !failures.has(candidate))) {
    try {
      const row = await runRound(peer, round, options);
      measurements.get(peer)!.push(row.measurement);
      progress.push(`${peer.id} ${Math.round(row.measurement.callsPerSecond)}/s`);
      rowLines.push(`  ${describeRound(peer, row, options.calls)}`);
    } catch (error) {
      failures.set(peer, error instanceof Error ? error.message : String(error));
      progress.push(`${peer.id} FAILED`);
    }
  }
  console.log(`round ${round}/${options.rounds}: ${progress.join(' · ')}`);
  for (const line of rowLines) console.log(line);
}

// --rounds 0: the sampling phases alone.
if (options.rounds > 0) {
  const outcomes: PeerOutcome[] = options.peers.map((peer) => {
    const failure = failures.get(peer);
    return failure === undefined
      ? { name: peer.name, features: peer.features, ok: true, summary: summarize(measurements.get(peer)!) }
      : { name: peer.name, features: peer.features, ok: false, error: failure };
  });

  console.log(`\n${formatTable(outcomes, BASELINE_NAME)}\n`);
  console.log(
    `Medians over rounds. Ratios are against "${BASELINE_NAME}": calls/s above 1× is faster than Strata, ` +
      'p99 above 1× is a slower tail. CPU µs/call is client plus server CPU time per measured call, ' +
      "which other people's load on this machine moves far less than calls/s; CPU above 1× costs more than Strata.",
  );
  for (const outcome of outcomes) console.log(`- ${outcome.name}: ${outcome.features}`);

  const tracingOnOff = againstMetrics(METRICS_PEER, AGAINST_METRICS, measurements);
  if (tracingOnOff.length > 0) {
    console.log('\nTracing on ÷ off, each beside the control (two identical metrics-on rows):');
    for (const line of tracingOnOff) console.log(`  ${line}`);
  }
}

let phasesFailed = false;
if (options.samplingSeconds > 0) {
  const load = {
    peer: SAMPLING_PHASES_PEER,
    seconds: options.samplingSeconds,
    concurrency: options.concurrency,
    cycle: options.samplingCycle,
    serverFlags: options.serverFlags,
  };
  const phases = await measureSamplingPhases(load);
  console.log(`\n${describeSamplingPhases(load, phases).join('\n')}`);
  // Spans in an unsampled second: the phases did not measure what they say.
  phasesFailed = (phases.spans.get(0)?.spans ?? 0) > 0;
  if (phasesFailed) console.error('\nThe sampling phases are void: their unsampled seconds made spans.');
}

for (const [peer, error] of failures) console.error(`\n${peer.name} failed, so it has no row:\n${error}`);
process.exitCode = failures.size > 0 || phasesFailed ? 1 : 0;
