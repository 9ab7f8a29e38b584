// `npm start` (embedded) and `npm run start:distributed` as a newcomer runs them, timed from the
// spawn of npm to the banner's last line ("Ctrl-C stops …", which tests/e2e/platform-process.ts
// waits for too: it is printed once every service serves), and the resident memory of every
// process of the run read from /proc/<pid>/status while it sits idle after the banner.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { residentKiB } from '../shared/process-memory.ts';

export interface ProcessMemory {
  readonly pid: number;
  readonly name: string;
  readonly rssMiB: number;
}

export interface StartedPlatform {
  readonly child: ChildProcess;
  /** From spawn to the banner's "Ctrl-C stops" line. */
  readonly readyMs: number;
  readonly output: () => string;
  /** Each output line with the milliseconds since spawn it arrived at. */
  readonly lines: { ms: number; text: string }[];
}

/** Runs an npm script with only `settings` as STRATA_* variables, in a process group of its own. */
export async function startPlatform(
  root: string,
  script: 'start' | 'start:distributed',
  settings: Record<string, string>,
  timeoutMs = 300_000,
): Promise<StartedPlatform> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('STRATA_')) env[key] = value;
  }
  Object.assign(env, settings);
  const started = performance.now();
  const child = spawn('npm', ['run', script, '--silent'], { cwd: root, env, detached: true });
  let output = '';
  const lines: { ms: number; text: string }[] = [];
  const collect = (chunk: Buffer) => {
    const ms = performance.now() - started;
    output += chunk.toString();
    for (const text of chunk.toString().split('\n')) if (text.trim() !== '') lines.push({ ms, text });
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const readyMs = await new Promise<number>((done, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`npm run ${script} not ready in ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    child.stdout.on('data', () => {
      if (/^Ctrl-C stops/m.test(output)) {
        clearTimeout(timer);
        done(performance.now() - started);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      fail(
        new Error(`npm run ${script} exited (${code ?? signal}) before its banner:\n${output.slice(-3000)}`),
      );
    });
  });
  return { child, readyMs, output: () => output, lines };
}

/** Ctrl-C: SIGINT to the whole group, then waits until every holder of its output has exited. */
export async function stopPlatform(platform: StartedPlatform, graceMs = 60_000): Promise<void> {
  const closed = new Promise<void>((done) => platform.child.once('close', () => done()));
  process.kill(-platform.child.pid!, 'SIGINT');
  const timer = setTimeout(() => {
    try {
      process.kill(-platform.child.pid!, 'SIGKILL');
    } catch {
      // Already gone between the timer and the kill.
    }
  }, graceMs);
  await closed;
  clearTimeout(timer);
}

/**
 * Every live process descended from `rootPid` (the npm script), with its command and RSS. By
 * descent, not by process group: the platforms start some children in groups of their own.
 */
export function treeMemory(rootPid: number): ProcessMemory[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces), closed by the last ')': state, ppid.
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // Exited between the listing and the read.
    }
  }
  const descends = (pid: number): boolean => {
    for (let at: number | undefined = pid; at !== undefined && at > 1; at = parents.get(at))
      if (at === rootPid) return true;
    return false;
  };
  const found: ProcessMemory[] = [];
  for (const pid of parents.keys()) {
    if (!descends(pid)) continue;
    let kib: number;
    let command: string[];
    try {
      kib = residentKiB(pid);
      command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    } catch {
      // Exited since the listing, or holds no memory of its own (a kernel thread, a zombie).
      continue;
    }
    if (kib === 0) continue;
    found.push({ pid, name: describe(command), rssMiB: kib / 1024 });
  }
  return found.sort((a, b) => a.pid - b.pid);
}

/** A short name for a command line: the npm wrapper, a shell, or the script node runs. */
function describe(command: string[]): string {
  const joined = command.join(' ');
  if (/(^|\/)npm(-cli\.js)?( |$)/.test(joined) || /npm-cli\.js/.test(joined)) return 'npm (wrapper)';
  if (/^(\/bin\/)?sh /.test(joined)) return 'sh (npm script shell)';
  const script = command.find((part) => /\.(ts|js)$/.test(part) && !part.includes('node_modules'));
  return script === undefined
    ? joined.slice(0, 60)
    : script.replace(/^.*\/(scripts|data-services|application-services|infra|tools)\//, '$1/');
}
