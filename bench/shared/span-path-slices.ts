// What bench/rpc/span-path.ts and bench/gateway/span-path.ts share: the real tracing pipeline
// exporting to a discarding OTLP sink in a process of its own, and slices of work at sampled shares
// taking turns, each slice's CPU per item read against its neighbours'.
import type { ChildProcess } from 'node:child_process';
import { startTracing, type RunningTracing } from '@strata/telemetry/sdk';
import { spawnUntilReady } from './ready-child.ts';

/** The SDK as a traced process starts it, exporting over OTLP/HTTP to a sink that discards. */
export async function startTracingToSink(
  children: ChildProcess[],
  settings: Omit<Parameters<typeof startTracing>[0], 'destination' | 'exportDelayMs'>,
): Promise<RunningTracing> {
  const { match } = await spawnUntilReady(
    children,
    process.execPath,
    [new URL('../rpc/peers/otlp-sink-process.ts', import.meta.url).pathname],
    /ready (\d+)/,
  );
  return startTracing({
    ...settings,
    destination: { kind: 'otlp', url: `http://127.0.0.1:${match[1]}/v1/traces`, protocol: 'http/protobuf' },
    exportDelayMs: 5_000,
  });
}

/**
 * This process's CPU (user + system) µs per item of `count` items run by `lanes` concurrent
 * lanes; `item(sampled)` is told which items the share samples, spread evenly.
 */
export async function cpuPerItem(
  count: number,
  lanes: number,
  share: number,
  item: (sampled: boolean) => Promise<unknown>,
): Promise<number> {
  let started = 0;
  const before = process.cpuUsage();
  const lane = async () => {
    while (started < count) {
      started += 1;
      await item(Math.floor(started * share) !== Math.floor((started - 1) * share));
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  const used = process.cpuUsage(before);
  return (used.user + used.system) / count;
}

export interface Slice {
  readonly share: number;
  readonly µs: number;
}

/**
 * Three warm-up rounds of the cycle, then `repetitions` measured ones and a closing slice of the
 * cycle's first share, so the last slice of the cycle has a neighbour on each side.
 */
export async function sweep(
  cycle: readonly number[],
  repetitions: number,
  slice: (share: number) => Promise<number>,
): Promise<Slice[]> {
  for (let round = 0; round < 3; round += 1) for (const share of cycle) await slice(share);
  const slices: Slice[] = [];
  for (let repetition = 0; repetition < repetitions; repetition += 1)
    for (const share of cycle) slices.push({ share, µs: await slice(share) });
  slices.push({ share: cycle[0]!, µs: await slice(cycle[0]!) });
  return slices;
}

/** Each slice at `share` less the mean of its two neighbours, where both are at `baseline`. */
export function overNeighbours(slices: readonly Slice[], share: number, baseline: number): number[] {
  const extra: number[] = [];
  for (let index = 1; index < slices.length - 1; index += 1) {
    const [before, here, after] = [slices[index - 1]!, slices[index]!, slices[index + 1]!];
    if (here.share !== share || before.share !== baseline || after.share !== baseline) continue;
    extra.push(here.µs - (before.µs + after.µs) / 2);
  }
  return extra;
}
