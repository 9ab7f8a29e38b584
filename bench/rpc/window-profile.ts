import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCpuProfile } from '../shared/cpu-profile.ts';

/**
 * With BENCH_WINDOW_PROF=<dir>, a CPU profile of the measured window only (no start-up, no
 * warm-up, no export at exit): the client profiles itself around the window and signals its
 * server (SIGUSR2) at the window's start and end, so both profiles cover the same calls. `--cpu-prof`
 * profiles a whole process, where start-up and module loading hide what a call costs (issue 20,
 * trace4's profiles). The files are `<dir>/<label>-<pid>.cpuprofile`, for profile-summary.ts.
 */
const dir = process.env.BENCH_WINDOW_PROF;
/** Finer than V8's default 1 ms, so a function worth a microsecond a call shows. */
const SAMPLING_INTERVAL_US = 100;

export interface WindowProfile {
  stop(): Promise<void>;
}

export async function startWindowProfile(label: string): Promise<WindowProfile> {
  if (dir === undefined) return { stop: async () => undefined };
  const running = await startCpuProfile(SAMPLING_INTERVAL_US);
  return {
    async stop() {
      const profile = await running.stop();
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${label}-${process.pid}.cpuprofile`), JSON.stringify(profile));
    },
  };
}

/** The server's side: each SIGUSR2 from its client starts or stops its window's profile. */
export function profileWindowsOnSignal(label: string): void {
  if (dir === undefined) return;
  let running: Promise<WindowProfile> | undefined;
  process.on('SIGUSR2', () => {
    if (running === undefined) running = startWindowProfile(label);
    else {
      void running.then((profile) => profile.stop());
      running = undefined;
    }
  });
}

/** The client's side: tells the server to start or stop, when window profiles are asked for. */
export function signalServerWindow(serverPid: number): void {
  if (dir !== undefined) process.kill(serverPid, 'SIGUSR2');
}
