import { fork, type ChildProcess } from 'node:child_process';
import type { RunningServer } from './peer.ts';
import { freePort } from '../shared/free-port.ts';
import { stopProcess } from '../shared/stop-process.ts';

/** Where to find the swc loader NestJS decorators need (docs/adr/0001). */
export const SWC_LOADER = ['--import', '@strata/runtime/typescript'];

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;
/** Enough of a failing server's output to see why, without flooding the table. */
const KEPT_OUTPUT_CHARS = 4_000;

/** Collects the tail of a child's stdout and stderr, to quote when it fails. */
export function keepOutput(child: ChildProcess): () => string {
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-KEPT_OUTPUT_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => output.trim();
}

/**
 * Starts `file` as a child process with an IPC channel and waits for its 'ready' message
 * (see server-process.ts). Its output is kept, not shown, unless it fails to start.
 */
export async function spawnServer(
  file: URL,
  options: { execArgv?: string[]; env?: Record<string, string> } = {},
): Promise<RunningServer> {
  const port = await freePort();
  const child = fork(file, [], {
    execArgv: [...(options.execArgv ?? [])],
    env: { ...process.env, ...options.env, BENCH_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const output = keepOutput(child);

  await new Promise<void>((resolve, reject) => {
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void =>
      fail(`exited with ${signal ?? `code ${code}`}`);
    const onError = (error: Error): void => fail(error.message);
    const settle = (): void => {
      clearTimeout(timer);
      child.off('exit', onExit);
      child.off('error', onError);
    };
    const fail = (reason: string): void => {
      settle();
      child.kill('SIGKILL');
      reject(new Error(`${file.pathname} did not start: ${reason}\n--- its output ---\n${output()}`));
    };
    const timer = setTimeout(() => fail(`no 'ready' within ${READY_TIMEOUT_MS} ms`), READY_TIMEOUT_MS);
    child.once('message', (message) => {
      if (message !== 'ready') return fail(`unexpected first message ${JSON.stringify(message)}`);
      settle();
      resolve();
    });
    child.once('exit', onExit);
    child.once('error', onError);
  });

  return {
    process: child,
    port,
    stop: () => stopProcess(child, STOP_TIMEOUT_MS),
  };
}
