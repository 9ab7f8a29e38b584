import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * CPU time (user + system, microseconds) another process has used so far, read from Linux's
 * /proc; undefined where there is no /proc. It lets the client process account for the server's
 * CPU over exactly the measured calls: on a shared machine CPU per call moves far less with other
 * people's load than calls per second do.
 */
export function processCpuReader(pid: number): (() => number) | undefined {
  const file = `/proc/${pid}/stat`;
  let ticksPerSecond: number;
  try {
    readFileSync(file, 'utf8');
    ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  } catch {
    return undefined;
  }
  if (!Number.isFinite(ticksPerSecond) || ticksPerSecond <= 0) return undefined;
  return () => {
    const stat = readFileSync(file, 'utf8');
    // Fields after the command name, which is in parentheses and may itself contain spaces;
    // utime and stime are fields 14 and 15 of the whole line (proc(5)).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks / ticksPerSecond) * 1e6;
  };
}
