import { flag } from '../env-fields.ts';

/** Spread into a process's environment schema: `STRATA_SUPERVISED=1` is set by the process supervisor (`npm run start:distributed`) on every process it starts. */
export const supervisedEnvShape = { STRATA_SUPERVISED: flag.default(false) };

/**
 * A supervised process holds a pipe from its supervisor on stdin. When the supervisor dies
 * without stopping it (SIGKILL, a crash, a closed terminal), the pipe ends: the process stops as
 * it would on SIGTERM instead of living on as an orphan that holds its port and registry entry.
 * Outside a supervisor (a terminal, `< /dev/null`, a container) stdin means nothing and is left alone.
 */
export function stopWhenSupervisorLeaves(stop: (reason: string) => void, supervised: boolean): void {
  if (!supervised) return;
  const stdin = process.stdin;
  stdin.once('end', () => stop('the supervisor is gone (stdin closed)'));
  stdin.resume();
  // Watching must not keep a process alive that has otherwise finished stopping.
  (stdin as { unref?: () => void }).unref?.();
}
