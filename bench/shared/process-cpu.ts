// The CPU a process has used, read from Linux's /proc: the benches measure CPU per request or per
// event of the processes involved, because on a shared machine it moves far less with other
// people's load than requests or events per second do. One reader for every bench, so each reads
// the same fields the same way; and one way of finding the dev stack's shared servers.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

/** The kernel's clock ticks per second, the unit of /proc/<pid>/stat's times. */
function clockTicks(): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  if (!Number.isFinite(ticksPerSecond) || ticksPerSecond <= 0)
    throw new Error(`getconf CLK_TCK answered ${ticksPerSecond}`);
  return ticksPerSecond;
}

/** Fields 3 onwards of /proc/<pid>/stat (state first); throws when the process is gone. */
function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name, field 2, is in parentheses and may itself hold spaces and ')'.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** User + system CPU seconds a process (every thread) has used so far. */
export function cpuSeconds(pid: number): number {
  // utime and stime: fields 14 and 15 of the whole line (proc(5)).
  const fields = statFields(pid);
  return (Number(fields[11]) + Number(fields[12])) / clockTicks();
}

/**
 * User + system CPU seconds of a process's children that have exited and been waited for (cutime
 * and cstime): the only account of a child run to its end in one synchronous call.
 */
export function exitedChildrenCpuSeconds(pid: number): number {
  const fields = statFields(pid);
  return (Number(fields[13]) + Number(fields[14])) / clockTicks();
}

/**
 * Reads the CPU seconds a set of processes has used so far, summed; undefined where none of them
 * can be read (no /proc, or none found), so a bench prints '–' instead of failing.
 */
export function cpuReader(pids: readonly number[]): (() => number) | undefined {
  const readable = pids.filter((pid) => {
    try {
      cpuSeconds(pid);
      return true;
    } catch {
      return false;
    }
  });
  return readable.length === 0 ? undefined : () => readable.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
}

/**
 * How each of the dev stack's servers is recognised: by its executable's name, or the broker by
 * its main class among java's arguments (its executable is just `java`, as is Kafka's perf test's).
 */
const servers = {
  mariadb: (name: string) => name === 'mariadbd' || name === 'mysqld',
  redis: (name: string) => name === 'redis-server',
  kafka: (_name: string, args: readonly string[]) => args.includes('kafka.Kafka'),
} as const;

/** The pids of one of the dev stack's servers running on this machine (empty when none is). */
export function serverPids(server: keyof typeof servers): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const name = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (servers[server](name, args)) pids.push(Number(entry));
    } catch {
      // Exited between the listing and the read.
    }
  }
  return pids;
}

/**
 * Read and write system calls a process has made so far (/proc/<pid>/io's syscr + syscw): on
 * loopback RPC, how many calls each socket read and write carried, which two processes of one build
 * can differ on; undefined where /proc/<pid>/io cannot be read.
 */
export function syscallCount(pid: number): number | undefined {
  try {
    const io = readFileSync(`/proc/${pid}/io`, 'utf8');
    const field = (name: string): number => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(io)?.[1]);
    const count = field('syscr') + field('syscw');
    return Number.isFinite(count) ? count : undefined;
  } catch {
    return undefined;
  }
}

/**
 * How often the kernel moved a process's main thread to another core and took the core from it
 * while it could still run (/proc/<pid>/sched's se.nr_migrations and nr_involuntary_switches):
 * where two processes of one build differ in CPU per call at the same system calls, where they ran
 * is the next suspect. Undefined where the kernel does not expose the file.
 */
export function schedulerCounts(pid: number): { migrations: number; preempted: number } | undefined {
  try {
    const { 'se.nr_migrations': migrations, nr_involuntary_switches: preempted } = schedulerFields(pid);
    return migrations === undefined || preempted === undefined ? undefined : { migrations, preempted };
  } catch {
    return undefined;
  }
}

/** A process's main-thread scheduler counters from /proc/<pid>/sched: migrations and context switches. */
export function schedulerFields(pid: number): Record<string, number> {
  const fields: Record<string, number> = {};
  for (const line of readFileSync(`/proc/${pid}/sched`, 'utf8').split('\n')) {
    const match =
      /^(se\.nr_migrations|nr_switches|nr_voluntary_switches|nr_involuntary_switches)\s+:\s+(\d+)/.exec(line);
    if (match) fields[match[1]!] = Number(match[2]);
  }
  return fields;
}

/**
 * Clock ticks (user + system) each thread of a process has used so far, from
 * /proc/<pid>/task/<tid>/stat, with the thread's name; the main thread's tid is the pid. A thread
 * that ends between the listing and its read is left out.
 */
export function threadTicks(pid: number): { tid: number; name: string; ticks: number }[] {
  const threads: { tid: number; name: string; ticks: number }[] = [];
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      continue;
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    threads.push({
      tid: Number(tid),
      name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
      ticks: Number(fields[11]) + Number(fields[12]),
    });
  }
  return threads;
}

/** The machine's CPU time stolen by the hypervisor so far, in seconds (/proc/stat's steal, all cores). */
export function stolenSeconds(): number | undefined {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
    const steal = Number(cpu[8]);
    return Number.isFinite(steal) ? steal / clockTicks() : undefined;
  } catch {
    return undefined;
  }
}
