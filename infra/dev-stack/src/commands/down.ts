import { stopProcess } from '../detached-process.ts';
import { progressFor } from '../progress.ts';
import { stackServices } from '../stack-services.ts';
import { readState, withStackLock, writeState } from '../stack-state.ts';

// Kafka's controlled shutdown flushes and closes every partition; give it time before SIGKILL.
const graceMs = 60_000;

/** Stops what this tree's `up` started, and only that; reused services keep running. */
export async function down(): Promise<number> {
  return withStackLock(async () => {
    const state = readState();
    for (const service of stackServices()) {
      const progress = progressFor(service.name);
      const ours = state[service.name];
      if (ours === undefined) {
        progress('not started by dev-stack: left alone');
        continue;
      }
      const result = await stopProcess(ours, graceMs);
      progress(
        result === 'gone'
          ? `pid ${ours.pid} had already exited`
          : `stopped pid ${ours.pid}${result === 'killed' ? ` (SIGKILL after ${graceMs / 1000}s without exiting)` : ''}`,
      );
      delete state[service.name];
      writeState(state);
    }
    return 0;
  });
}
