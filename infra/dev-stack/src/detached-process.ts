import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

// Logs are appended across restarts; failures quote only what the latest start wrote.
const startMarker = '==== dev-stack start';

/** What `up` records about a process it started, enough for `down` to be sure it stops that one. */
export interface ProcessIdentity {
  pid: number;
  /** Kernel start time (clock ticks since boot) so a recycled pid is never mistaken for ours. */
  startTicks: number;
}

/**
 * Starts a process in its own session with output appended to `logFile`, so it outlives the CLI
 * (and npm, and the CI shell) and keeps no pipe of theirs open.
 */
export function spawnDetached(
  command: string,
  args: readonly string[],
  logFile: string,
  cwd: string,
): ProcessIdentity {
  const log = openSync(logFile, 'a');
  try {
    writeSync(log, `${startMarker} ${new Date().toISOString()}: ${command} ${args.join(' ')}\n`);
    const child = spawn(command, args, { cwd, detached: true, stdio: ['ignore', log, log] });
    if (child.pid === undefined) throw new Error(`could not start ${command}: no pid (is it on PATH?)`);
    child.unref();
    return identify(child.pid);
  } finally {
    closeSync(log);
  }
}

export function identify(pid: number): ProcessIdentity {
  return { pid, startTicks: startTicksOf(pid) ?? 0 };
}

function startTicksOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 counted after the parenthesised command name, which may itself contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[19]);
  } catch {
    return undefined;
  }
}

export function isRunning(process: ProcessIdentity): boolean {
  const ticks = startTicksOf(process.pid);
  if (ticks === undefined) return false;
  if (isZombie(process.pid)) return false;
  return process.startTicks === 0 || ticks === process.startTicks;
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/** SIGTERM for a clean shutdown (Kafka flushes and closes its log), SIGKILL if it will not go. */
export async function stopProcess(
  target: ProcessIdentity,
  graceMs: number,
): Promise<'stopped' | 'killed' | 'gone'> {
  if (!isRunning(target)) return 'gone';
  process.kill(target.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isRunning(target)) return 'stopped';
    await sleep(250);
  }
  process.kill(target.pid, 'SIGKILL');
  return 'killed';
}

/** The last lines the latest start wrote to a log, quoted in failures so the reason is on screen. */
export function tailOf(file: string, lines: number): string {
  try {
    const all = readFileSync(file, 'utf8').trimEnd().split('\n');
    const latest = all.slice(Math.max(0, all.findLastIndex((line) => line.startsWith(startMarker)) + 1));
    return latest
      .slice(-lines)
      .map((line) => `      | ${line}`)
      .join('\n');
  } catch {
    return `      | (no log at ${file})`;
  }
}
