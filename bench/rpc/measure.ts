import { median } from '../shared/median.ts';
import { percentile } from '../shared/percentile.ts';
import { isEchoOf, type CourseDraft } from './payload.ts';
import type { PeerClient } from './peer.ts';

export interface LoadShape {
  /** Calls kept in flight at once. */
  concurrency: number;
  /** Calls made and thrown away first, so JIT, connection set-up and pools are warm. */
  warmup: number;
  /** Calls measured. */
  calls: number;
}

export interface Measurement {
  callsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Client plus server CPU time per measured call; undefined when the server's CPU cannot be read. */
  cpuMicrosPerCall: number | undefined;
}

/**
 * Keeps `concurrency` calls in flight until `count` have completed. Each call is timed on its own
 * with the monotonic clock; any failure or wrong answer stops the run, because a number measured
 * over errors is not a number about the peer.
 */
async function drive(
  client: PeerClient,
  payload: CourseDraft,
  count: number,
  concurrency: number,
): Promise<Float64Array> {
  const latencies = new Float64Array(count);
  let issued = 0;
  // The first failure stops every lane, so no stray calls keep loading the next peer's run.
  let failure: Error | undefined;
  const lane = async (): Promise<void> => {
    while (issued < count && failure === undefined) {
      const index = issued++;
      const start = process.hrtime.bigint();
      try {
        const answer = await client.call(payload);
        latencies[index] = Number(process.hrtime.bigint() - start) / 1e6;
        if (!isEchoOf(payload, answer)) {
          throw new Error(
            `call ${index} came back with the wrong answer: ${JSON.stringify(answer)?.slice(0, 200)}`,
          );
        }
      } catch (error) {
        failure ??= error instanceof Error ? error : new Error(String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  if (failure !== undefined) throw failure;
  return latencies;
}

/** `serverCpu` reads the server process's CPU time so far, in seconds. */
export async function measure(
  client: PeerClient,
  payload: CourseDraft,
  shape: LoadShape,
  serverCpu: (() => number) | undefined,
): Promise<Measurement> {
  await drive(client, payload, shape.warmup, shape.concurrency);
  const serverCpuBefore = serverCpu?.();
  const clientCpuBefore = process.cpuUsage();
  const start = process.hrtime.bigint();
  const latencies = await drive(client, payload, shape.calls, shape.concurrency);
  const elapsedSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  const clientCpu = process.cpuUsage(clientCpuBefore);
  const serverCpuUsed = serverCpuBefore === undefined ? undefined : (serverCpu!() - serverCpuBefore) * 1e6;
  latencies.sort();
  return {
    callsPerSecond: shape.calls / elapsedSeconds,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    cpuMicrosPerCall:
      serverCpuUsed === undefined
        ? undefined
        : (clientCpu.user + clientCpu.system + serverCpuUsed) / shape.calls,
  };
}

/** A peer's rounds folded into one row: the median of each figure, and the spread of throughput. */
export interface Summary extends Measurement {
  rounds: number;
  slowestCallsPerSecond: number;
  fastestCallsPerSecond: number;
}

export function summarize(measurements: Measurement[]): Summary {
  const throughputs = measurements.map((m) => m.callsPerSecond);
  const cpu = measurements.map((m) => m.cpuMicrosPerCall);
  return {
    cpuMicrosPerCall: cpu.every((value) => value !== undefined) ? median(cpu) : undefined,
    rounds: measurements.length,
    callsPerSecond: median(throughputs),
    p50Ms: median(measurements.map((m) => m.p50Ms)),
    p99Ms: median(measurements.map((m) => m.p99Ms)),
    slowestCallsPerSecond: Math.min(...throughputs),
    fastestCallsPerSecond: Math.max(...throughputs),
  };
}
