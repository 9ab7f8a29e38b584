import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { isRunning, identify, type ProcessIdentity } from './detached-process.ts';
import { stackPaths } from './stack-paths.ts';

export interface StartedService extends ProcessIdentity {
  startedAt: string;
  logFile: string;
}

/** The processes this working tree's `up` started; `down` stops these and nothing else. */
export type StackState = Record<string, StartedService>;

/**
 * What an earlier `up` recorded. A file this version cannot read (written by an older checkout, or
 * cut short) is treated as recording nothing: the services are probed anyway, so the worst case
 * is that `down` leaves a process it can no longer identify running.
 */
export function readState(): StackState {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(stackPaths.stateFile, 'utf8'));
  } catch {
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
  return Object.fromEntries(Object.entries(parsed).filter(([, entry]) => isStartedService(entry)));
}

function isStartedService(entry: unknown): entry is StartedService {
  if (typeof entry !== 'object' || entry === null) return false;
  const { pid, startTicks, startedAt, logFile } = entry as Record<string, unknown>;
  return (
    Number.isInteger(pid) &&
    typeof startTicks === 'number' &&
    typeof startedAt === 'string' &&
    typeof logFile === 'string'
  );
}

export function writeState(state: StackState): void {
  mkdirSync(stackPaths.stackDir, { recursive: true });
  const temporary = `${stackPaths.stateFile}.${process.pid}`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(temporary, stackPaths.stateFile);
}

const lockWaitMs = 15 * 60_000;

/**
 * Serialises `up` and `down` within one working tree: several engineers (and `npm test`) may run
 * `stack:up` at the same moment, and only one of them should start Kafka.
 */
export async function withStackLock<T>(work: () => Promise<T>): Promise<T> {
  mkdirSync(stackPaths.stackDir, { recursive: true });
  const deadline = Date.now() + lockWaitMs;
  let announced = false;
  for (;;) {
    try {
      const fd = openSync(stackPaths.lockFile, 'wx');
      writeFileSync(fd, JSON.stringify(identify(process.pid)));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = lockHolder();
    if (holder === undefined || !isRunning(holder)) {
      rmSync(stackPaths.lockFile, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `another dev-stack command (pid ${holder.pid}) has held ${stackPaths.lockFile} for too long`,
      );
    }
    if (!announced) {
      console.log(`dev-stack: waiting for another dev-stack command (pid ${holder.pid}) to finish`);
      announced = true;
    }
    await sleep(500);
  }
  try {
    return await work();
  } finally {
    rmSync(stackPaths.lockFile, { force: true });
  }
}

function lockHolder(): ProcessIdentity | undefined {
  try {
    return JSON.parse(readFileSync(stackPaths.lockFile, 'utf8')) as ProcessIdentity;
  } catch {
    // Created but not yet filled by its owner, or left half-written by a crash: wait a moment
    // for the first, then take the lock over from the second.
    const stats = statSync(stackPaths.lockFile, { throwIfNoEntry: false });
    if (stats === undefined || Date.now() - stats.mtimeMs > 5000) return undefined;
    return { pid: process.pid, startTicks: 0 };
  }
}
