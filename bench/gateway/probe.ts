// BENCH_GATEWAY_PROBE=<dir> (issue 21, the identical gateways): per row and round, what a gateway
// process did in the row's window beyond its CPU: per-thread CPU (main thread apart), scheduler
// counts of its main thread (/proc/<pid>/sched), page faults, the CPU it last ran on, and its
// garbage collections and own CPU reading from probe-preload.ts.
import { existsSync, readFileSync } from 'node:fs';
import { schedulerFields, threadTicks } from '../shared/process-cpu.ts';

export interface Snapshot {
  readonly mainTicks: number;
  readonly otherTicks: number;
  readonly userTicks: number;
  readonly systemTicks: number;
  readonly minflt: number;
  readonly sched: Record<string, number>;
  readonly processor: number;
  readonly preload: Record<string, number> | undefined;
}

function fieldsOf(path: string): string[] {
  const stat = readFileSync(path, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

async function preloadOf(dir: string, pid: number): Promise<Record<string, number> | undefined> {
  const file = `${dir}/probe-${pid}.json`;
  const before = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { seq: number }).seq : 0;
  try {
    process.kill(pid, 'SIGUSR2');
  } catch {
    return undefined;
  }
  for (let attempt = 0; attempt < 50; attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    if (!existsSync(file)) continue;
    try {
      const read = JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>;
      if (read.seq! > before) return read;
    } catch {
      // Read while being written.
    }
  }
  return undefined;
}

export async function snapshot(dir: string, pid: number, preload: boolean): Promise<Snapshot> {
  let mainTicks = 0;
  let otherTicks = 0;
  for (const { tid, ticks } of threadTicks(pid)) {
    if (tid === pid) mainTicks += ticks;
    else otherTicks += ticks;
  }
  const fields = fieldsOf(`/proc/${pid}/stat`);
  return {
    mainTicks,
    otherTicks,
    userTicks: Number(fields[11]),
    systemTicks: Number(fields[12]),
    minflt: Number(fields[7]),
    sched: schedulerFields(pid),
    processor: Number(fields[36]),
    preload: preload ? await preloadOf(dir, pid) : undefined,
  };
}

/** One line: the window's differences, per 10,000 requests where a count. */
export function describe(name: string, round: number, requests: number, a: Snapshot, b: Snapshot): string {
  const per10k = (value: number) => ((value * 10_000) / requests).toFixed(1);
  const usPerReq = (ticks: number) => ((ticks * 10_000) / requests).toFixed(1); // 100 ticks/s: 1 tick = 10,000 µs
  const sched = (key: string) => per10k(b.sched[key]! - a.sched[key]!);
  const parts = [
    `probe ${name.trim()} r${round} req ${requests}`,
    `user ${usPerReq(b.userTicks - a.userTicks)} sys ${usPerReq(b.systemTicks - a.systemTicks)} µs/req`,
    `main ${usPerReq(b.mainTicks - a.mainTicks)} other threads ${usPerReq(b.otherTicks - a.otherTicks)} µs/req`,
    `per 10k req: migrations ${sched('se.nr_migrations')} switches ${sched('nr_switches')} (vol ${sched('nr_voluntary_switches')}, invol ${sched('nr_involuntary_switches')}) minflt ${per10k(b.minflt - a.minflt)}`,
    `cpu ${a.processor}→${b.processor}`,
  ];
  if (a.preload !== undefined && b.preload !== undefined) {
    const d = (key: string) => b.preload![key]! - a.preload![key]!;
    parts.push(
      `self-read ${(d('cpuUs') / requests).toFixed(1)} µs/req; per 10k req: scavenges ${per10k(d('scavenges'))} (${((d('scavengeMs') * 1000) / requests).toFixed(2)} µs/req) longest ${(b.preload.scavengeMaxMs ?? 0).toFixed(1)} ms, ${b.preload.longScavenges ?? 0} over 5 ms mark-compacts ${per10k(d('markCompacts'))} (${((d('markCompactMs') * 1000) / requests).toFixed(2)} µs/req) other ${per10k(d('other'))}; heap ${(b.preload.heapUsed! / 1e6).toFixed(1)}/${(b.preload.heapTotal! / 1e6).toFixed(1)} MB; new space ${(a.preload.newSpace! / 1e6).toFixed(1)}→${(b.preload.newSpace! / 1e6).toFixed(1)} MB; GCs so far ${a.preload.scavenges}/${a.preload.markCompacts}/${a.preload.other}→${b.preload.scavenges}/${b.preload.markCompacts}/${b.preload.other}`,
    );
  }
  return parts.join(' | ');
}
