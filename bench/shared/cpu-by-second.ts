import { cpuSeconds } from './process-cpu.ts';

/**
 * The CPU seconds each of `pids` has used, read just after each wall-clock second starts (Unix
 * second → one reading per pid, in `pids`' order) until `until` settles or a process is gone. A
 * second's CPU is the difference between its reading and the next one's, so a bench can set it
 * beside what the processes did in that same second. Run it in a process that is otherwise idle:
 * a busy event loop would read late.
 */
export async function cpuBySecond(
  pids: readonly number[],
  until: Promise<unknown>,
): Promise<Map<number, number[]>> {
  const readings = new Map<number, number[]>();
  let done = false;
  void until.finally(() => (done = true)).catch(() => undefined);
  while (!done) {
    await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 2));
    try {
      readings.set(Math.floor(Date.now() / 1000), pids.map(cpuSeconds));
    } catch {
      break;
    }
  }
  return readings;
}
