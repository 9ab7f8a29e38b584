import { median } from '../shared/median.ts';
import { percentile } from '../shared/percentile.ts';
import { isEchoOf, type CourseDraft } from './payload.ts';
import type { PeerClient } from './peer.ts';
import { windowDiagnostics } from './client-diagnostics.ts';
import { signalServerWindow, startWindowProfile } from './window-profile.ts';

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
  /** Each process's part of it, to see which side two rows of one build differ on. */
  clientCpuMicrosPerCall?: number;
  serverCpuMicrosPerCall?: number;
  /** The measured window on the wall clock (ms since the epoch): spans started in it are the measured calls'. */
  measuredFromMs?: number;
  measuredUntilMs?: number;
  /** Read and write system calls per measured call, client and server together. */
  syscallsPerCall?: number;
  /** Per 1,000 measured calls, both main threads: moves to another core, and the core taken while runnable. */
  migrationsPerThousand?: number;
  preemptionsPerThousand?: number;
  /** The machine's CPU time the hypervisor took during the window, ms per second of it (2 cores: up to 2,000). */
  stolenMsPerSecond?: number;
}

/** What the window is read with besides the clock: counters of both processes and of the machine. */
export interface WindowProbes {
  /** The server process's CPU seconds so far. */
  serverCpu: (() => number) | undefined;
  syscalls(): number | undefined;
  scheduler(): { migrations: number; preempted: number } | undefined;
  stolenSeconds(): number | undefined;
  peer?: string;
  /** The server's pid, told when a window profile starts and stops (window-profile.ts). */
  serverPid?: number;
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

/** Drives the warm-up, then the measured calls, read with `probes` either side of the window. */
export async function measure(
  client: PeerClient,
  payload: CourseDraft,
  shape: LoadShape,
  probes: WindowProbes,
): Promise<Measurement> {
  const { serverCpu, syscalls } = probes;
  await drive(client, payload, shape.warmup, shape.concurrency);
  if (process.env.BENCH_CLIENT_GC_BEFORE !== undefined) (globalThis as { gc?: () => void }).gc?.();
  const syscallsBefore = syscalls();
  const schedulerBefore = probes.scheduler();
  const stolenBefore = probes.stolenSeconds();
  const serverCpuBefore = serverCpu?.();
  const clientCpuBefore = process.cpuUsage();
  const measuredFromMs = Date.now();
  const diagnostics = windowDiagnostics(probes.peer ?? '?');
  if (probes.serverPid !== undefined) signalServerWindow(probes.serverPid);
  const profile = await startWindowProfile(`${probes.peer ?? '?'}-client`);
  const start = process.hrtime.bigint();
  const latencies = await drive(client, payload, shape.calls, shape.concurrency);
  await profile.stop();
  if (probes.serverPid !== undefined) signalServerWindow(probes.serverPid);
  await diagnostics.stop(shape.calls);
  const elapsedSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  const measuredUntilMs = Date.now();
  const clientCpu = process.cpuUsage(clientCpuBefore);
  const serverCpuUsed = serverCpuBefore === undefined ? undefined : (serverCpu!() - serverCpuBefore) * 1e6;
  const syscallsAfter = syscalls();
  const schedulerAfter = probes.scheduler();
  const stolenAfter = probes.stolenSeconds();
  const perThousand = (count: (counts: { migrations: number; preempted: number }) => number) =>
    schedulerBefore === undefined || schedulerAfter === undefined
      ? undefined
      : ((count(schedulerAfter) - count(schedulerBefore)) * 1000) / shape.calls;
  latencies.sort();
  return {
    clientCpuMicrosPerCall: (clientCpu.user + clientCpu.system) / shape.calls,
    serverCpuMicrosPerCall: serverCpuUsed === undefined ? undefined : serverCpuUsed / shape.calls,
    measuredFromMs,
    measuredUntilMs,
    syscallsPerCall:
      syscallsBefore === undefined || syscallsAfter === undefined
        ? undefined
        : (syscallsAfter - syscallsBefore) / shape.calls,
    migrationsPerThousand: perThousand((counts) => counts.migrations),
    preemptionsPerThousand: perThousand((counts) => counts.preempted),
    stolenMsPerSecond:
      stolenBefore === undefined || stolenAfter === undefined
        ? undefined
        : ((stolenAfter - stolenBefore) * 1000) / elapsedSeconds,
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
