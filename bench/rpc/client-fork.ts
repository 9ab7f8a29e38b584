import { fork } from 'node:child_process';
import { z } from '@strata/shared-kernel';
import { keepOutput } from './spawn-server.ts';

const reportSchema = z.union([
  z.object({ ok: z.literal(true), measurement: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);

/**
 * Forks client-process.ts, sends it `job` and resolves with the measurement it reports (for the
 * caller to parse: a round's and the sampling phases' differ). A client that has not reported
 * within `timeoutMs` is stuck, not slow, and is killed. `pid` is there at once, for a caller that
 * reads the client's CPU while it runs.
 */
export function forkClient(
  job: object,
  execArgv: string[],
  timeoutMs: number,
): { pid: number; measurement: Promise<unknown> } {
  const child = fork(new URL('./client-process.ts', import.meta.url), [], {
    execArgv: [...(process.env.BENCH_CLIENT_FLAGS?.split(/\s+/).filter(Boolean) ?? []), ...execArgv],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const output = keepOutput(child);
  const measurement = new Promise<unknown>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the client did not report within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.once('message', (message) => {
      clearTimeout(timer);
      const report = reportSchema.safeParse(message);
      if (!report.success) reject(new Error(`client process sent ${JSON.stringify(message)}`));
      else if (report.data.ok) resolve(report.data.measurement);
      else reject(new Error(report.data.error));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(
        new Error(
          `client process exited with ${signal ?? `code ${code}`} before reporting\n--- its output ---\n${output()}`,
        ),
      );
    });
  });
  child.send(job);
  return { pid: child.pid!, measurement };
}
