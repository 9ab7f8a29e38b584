import { windowDiagnostics } from './client-diagnostics.ts';
import { profileWindowsOnSignal } from './window-profile.ts';

/**
 * The child side of spawn-server.ts: every peer's server reads its port from here, says 'ready'
 * once it listens, and exits when the bench goes away so no server outlives a crashed run.
 */
export function assignedPort(): number {
  const port = Number(process.env['BENCH_PORT']);
  if (!Number.isInteger(port) || port <= 0 || port > 65_535) {
    throw new Error(
      `BENCH_PORT must be a TCP port, got ${JSON.stringify(process.env['BENCH_PORT'])}; start servers through bench/rpc/run.ts`,
    );
  }
  return port;
}

export function announceReady(stop: () => Promise<void>): void {
  // With BENCH_CLIENT_DIAG (inherited from run.ts), the server's own line too: from 'ready' to its
  // stop, so warm-up and measured calls together; labelled by its sampler (untraced: 'metrics').
  const diagnostics = windowDiagnostics(`server ${process.env['OTEL_TRACES_SAMPLER_ARG'] ?? 'metrics'}`);
  profileWindowsOnSignal(`server-${process.env['OTEL_TRACES_SAMPLER'] ?? 'metrics'}`);
  let exiting = false;
  const exit = (): void => {
    if (exiting) return;
    exiting = true;
    diagnostics
      .stop(0)
      .then(stop)
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.once('SIGTERM', exit);
  process.once('disconnect', exit);
  if (process.send === undefined) throw new Error('no IPC channel: start servers through bench/rpc/run.ts');
  process.send('ready');
}
