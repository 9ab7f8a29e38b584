// Child processes for the read benches. Each one's output goes straight to its own log file (a
// file descriptor, not a pipe into this process): the bench runs wrk synchronously, and a pipe it
// does not drain would stall a service writing its access log in the middle of a measurement.
// Each child holds a pipe on stdin, as under `npm run start:distributed`, so a bench that dies
// without stopping it still stops it (STRATA_SUPERVISED, stopWhenSupervisorLeaves).
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { stopProcess } from '../shared/stop-process.ts';

export interface Child {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  readonly process: ChildProcess;
}

const children: Child[] = [];

export function startChild(options: {
  name: string;
  command: string;
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  logFile: string;
}): Child {
  const fd = openSync(options.logFile, 'w');
  const child = spawn(options.command, [...options.args], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['pipe', fd, fd],
  });
  closeSync(fd);
  const started = { name: options.name, pid: child.pid!, logFile: options.logFile, process: child };
  children.push(started);
  return started;
}

/** Resolves with the first match of `ready` in the child's log; rejects if it exits or hangs first. */
export async function waitForLine(
  child: Child,
  ready: RegExp,
  timeoutMs = 180_000,
): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = readFileSync(child.logFile, 'utf8');
    const match = ready.exec(text);
    if (match) return match;
    if (child.process.exitCode !== null || child.process.signalCode !== null) {
      throw new Error(
        `${child.name} exited (${child.process.exitCode ?? child.process.signalCode}) before it was ready:\n${text.slice(-3000)}`,
      );
    }
    if (Date.now() > deadline)
      throw new Error(`${child.name} was not ready within ${timeoutMs} ms:\n${text.slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Runs a one-off command to its end (a migration), its output into `logFile`. */
export async function runToEnd(options: Parameters<typeof startChild>[0]): Promise<void> {
  const child = startChild(options);
  child.process.stdin!.end();
  const code = await new Promise<number | null>((resolve) => child.process.once('exit', resolve));
  if (code !== 0) {
    throw new Error(
      `${options.name} failed (exit ${code}):\n${readFileSync(options.logFile, 'utf8').slice(-3000)}`,
    );
  }
}

/** Stops a child with SIGTERM (SIGKILL after `graceMs`); resolves once it exited. */
export async function stopChild(child: Child, graceMs = 10_000): Promise<void> {
  const index = children.indexOf(child);
  if (index >= 0) children.splice(index, 1);
  await stopProcess(child.process, graceMs);
}

/** Every child still running, last started first. */
export async function stopAllChildren(): Promise<void> {
  for (const child of [...children].reverse()) await stopChild(child);
}
