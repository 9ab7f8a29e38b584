/** Set by the process supervisor (`npm run start:distributed`) on every process it starts. */
export const SUPERVISED_VARIABLE = 'STRATA_SUPERVISED';

/**
 * A supervised process holds a pipe from its supervisor on stdin. When the supervisor dies
 * without stopping it (SIGKILL, a crash, a closed terminal), the pipe ends: the process stops as
 * it would on SIGTERM instead of living on as an orphan that holds its port and registry entry.
 * Outside a supervisor (a terminal, `< /dev/null`, a container) stdin means nothing and is left alone.
 */
export function stopWhenSupervisorLeaves(
  stop: (reason: string) => void,
  env: Record<string, string | undefined> = process.env,
): void {
  if (env[SUPERVISED_VARIABLE] !== '1') return;
  const stdin = process.stdin;
  stdin.once('end', () => stop('the supervisor is gone (stdin closed)'));
  stdin.resume();
  // Watching must not keep a process alive that has otherwise finished stopping.
  (stdin as { unref?: () => void }).unref?.();
}
