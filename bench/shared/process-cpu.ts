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
