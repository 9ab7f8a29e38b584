// Issue 20: what sampling costs a traced RPC client and server, read inside one pair of processes.
// Two processes of the same build differ by 10–30 % in CPU per call on this machine (bench/README.md,
// tracecost), more than the goal's 10 %, so the one-in-ten row against the metrics row cannot
// resolve it. Here one server and one client, started as the strata-observed-10 row starts them
// (parent-based samplers), run calls for the whole run while the client makes each call inside a
// parent whose sampled flag follows the wall clock (phase-calls.ts). Each sampled second is read
// against the unsampled seconds either side (bench/shared/sampled-seconds.ts). What it leaves out:
// what a traced process costs before it samples anything (the SDK loaded, the context carried, a
// non-recording span per call), which the strata-observed-0 row shows against strata-metrics.
import { z } from '@strata/shared-kernel';
import { cpuBySecond } from '../shared/cpu-by-second.ts';
import { median } from '../shared/median.ts';
import {
  againstUnsampledNeighbours,
  readSeconds,
  type MeasuredSecond,
  type SampledShare,
} from '../shared/sampled-seconds.ts';
import { forkClient } from './client-fork.ts';
import type { Peer } from './peer.ts';
import { otlpSink } from './peers/otlp-sink.ts';
import { countSpansBySecond } from './span-seconds.ts';

export interface SamplingPhasesLoad {
  /** An observed row whose processes sample parent-based: strata-observed-10. */
  readonly peer: Peer;
  readonly seconds: number;
  readonly concurrency: number;
  /** The share of calls sampled in each second of the cycle; a cycle holds at least one 0. */
  readonly cycle: readonly number[];
  readonly serverFlags: readonly string[];
}

export interface SamplingPhases {
  /** Each sampled share read against its unsampled neighbours: client and server CPU together, and each. */
  readonly both: SampledShare[];
  readonly client: SampledShare[];
  readonly server: SampledShare[];
  /** Spans the sink received for the measured seconds of each share, and the calls answered in them. */
  readonly spans: Map<number, { spans: number; calls: number }>;
  /**
   * The unsampled seconds' client+server CPU µs per call (median) by the share of the second before
   * them: what a sampled second leaves to the next (its last spans' export, their garbage) shows
   * here, and inflates the base of a sampled second that follows such a one.
   */
  readonly unsampledAfter: Map<number, number>;
}

/** The cycle runs this long before the measured seconds, so both paths are compiled and warm. */
const WARMUP_SECONDS = 5;

const phaseCallsSchema = z.object({
  callsBySecond: z.array(z.tuple([z.number(), z.number()])),
  measuredFrom: z.number(),
  measuredUntil: z.number(),
});

export async function measureSamplingPhases(load: SamplingPhasesLoad): Promise<SamplingPhases> {
  if (!load.cycle.includes(0)) throw new Error('the sampling cycle needs an unsampled second (0)');
  const spansBySecond = new Map<number, number>();
  const count = (body: Buffer): void => countSpansBySecond(body, spansBySecond);
  // The sink the observed rows' processes export to; this bench process's own.
  const sink = await otlpSink();
  sink.readers.add(count);
  const server = await load.peer.startServer([...load.serverFlags]);
  try {
    const serverPid = server.process.pid!;
    const phases = { warmupSeconds: WARMUP_SECONDS, seconds: load.seconds, cycle: load.cycle };
    const client = forkClient(
      {
        peer: load.peer.id,
        port: server.port,
        serverPid,
        shape: { concurrency: load.concurrency, warmup: 0, calls: 1 },
        phases,
      },
      [],
      (WARMUP_SECONDS + load.seconds + 60) * 1000,
    );
    const [readings, reported] = await Promise.all([
      cpuBySecond([client.pid, serverPid], client.measurement),
      client.measurement,
    ]);
    const calls = phaseCallsSchema.parse(reported);
    const done = new Map(calls.callsBySecond);
    const seconds = readSeconds(readings, done, load.cycle, calls.measuredFrom, calls.measuredUntil);
    const read = (cpu: (one: number[]) => number): SampledShare[] =>
      againstUnsampledNeighbours(
        seconds.map(({ cpu: used, ...one }): MeasuredSecond => ({ ...one, cpuSeconds: cpu(used) })),
      );
    const spans = new Map<number, { spans: number; calls: number }>();
    for (const one of seconds) {
      const sum = spans.get(one.share) ?? { spans: 0, calls: 0 };
      spans.set(one.share, {
        spans: sum.spans + (spansBySecond.get(one.second) ?? 0),
        calls: sum.calls + one.done,
      });
    }
    const unsampledAfter = new Map<number, number[]>();
    for (const one of seconds.filter((candidate) => candidate.share === 0)) {
      const before = load.cycle[(one.second - 1) % load.cycle.length]!;
      unsampledAfter.set(before, [
        ...(unsampledAfter.get(before) ?? []),
        ((one.cpu[0]! + one.cpu[1]!) * 1e6) / one.done,
      ]);
    }
    return {
      unsampledAfter: new Map([...unsampledAfter].map(([share, cpuUs]) => [share, median(cpuUs)])),
      both: read(([clientCpu, serverCpu]) => clientCpu! + serverCpu!),
      client: read(([clientCpu]) => clientCpu!),
      server: read(([, serverCpu]) => serverCpu!),
      spans,
    };
  } finally {
    sink.readers.delete(count);
    await server.stop();
  }
}

/** The section bench:rpc prints. */
export function describeSamplingPhases(load: SamplingPhasesLoad, phases: SamplingPhases): string[] {
  const ratio = (share: SampledShare) =>
    `${share.cpuMedian.toFixed(3)}× median, ${share.cpuMean.toFixed(3)}× mean ± ${share.cpuStandardError.toFixed(3)} (unsampled ${share.baseCpuUs.toFixed(1)} µs)`;
  const lines = [
    `sampling's cost inside one traced server and client: the ${load.peer.id} row's processes (parent-based samplers), ${load.concurrency} calls in flight for ${load.seconds} s, ` +
      `the share of calls made inside a sampled parent changing each second (cycle ${load.cycle.join(', ')}); each sampled second's CPU per call and calls ÷ the mean of the unsampled seconds either side ` +
      '(what a traced process pays before it samples anything is not in it)',
  ];
  phases.both.forEach((both, i) => {
    lines.push(
      `${`${both.fraction * 100}% sampled ÷ none`.padEnd(22)}CPU µs/call client+server ${ratio(both)}; ` +
        `client ${ratio(phases.client[i]!)}; server ${ratio(phases.server[i]!)}; calls ${both.doneMedian.toFixed(3)}× median; ${both.pairs} seconds`,
    );
  });
  const spans = [...phases.spans]
    .sort(([a], [b]) => a - b)
    .map(
      ([share, sum]) =>
        `${(sum.spans / sum.calls).toFixed(3)} in the ${share * 100}% seconds (${sum.spans} spans)`,
    );
  lines.push(
    `spans received per call answered: ${spans.join(', ')}; a sampled call makes two, a CLIENT and a SERVER span`,
  );
  const after = [...phases.unsampledAfter]
    .sort(([a], [b]) => a - b)
    .map(([share, cpuUs]) => `${cpuUs.toFixed(1)} after a ${share * 100}% second`);
  lines.push(`unsampled seconds' CPU µs/call client+server (median): ${after.join(', ')}`);
  return lines;
}
