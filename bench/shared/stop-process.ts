import type { ChildProcess } from 'node:child_process';

/**
 * Stops a bench's child process: SIGTERM, so it can leave its groups and ship what it holds, then
 * SIGKILL after `graceMs`; resolves once it has exited.
 */
export async function stopProcess(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
