import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface RunningPrometheus {
  /** Its web UI and HTTP API, e.g. http://127.0.0.1:9090. */
  readonly url: string;
  readonly logFile: string;
  stop(): Promise<void>;
}

/**
 * Runs the machine's `prometheus` (Debian's package) on a configuration written under `dir`, its
 * data there too, and answers once `/-/ready` does. `port` 0 picks a free one.
 */
export async function startPrometheus(options: {
  binary?: string;
  dir: string;
  config: Record<string, unknown>;
  host?: string;
  port: number;
  readyTimeoutMs?: number;
}): Promise<RunningPrometheus> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port === 0 ? await freePort(host) : options.port;
  await mkdir(join(options.dir, 'data'), { recursive: true });
  const configFile = join(options.dir, 'prometheus.yml');
  await writeFile(configFile, `${JSON.stringify(options.config, null, 2)}\n`);
  const logFile = join(options.dir, 'prometheus.log');
  const log = createWriteStream(logFile, { flags: 'a' });
  const child: ChildProcess = spawn(
    options.binary ?? 'prometheus',
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(options.dir, 'data')}`,
      `--web.listen-address=${host}:${port}`,
      '--storage.tsdb.retention.time=2d',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://${host}:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    log.end();
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`prometheus exited with code ${child.exitCode}; see ${logFile}`);
    const ready = await fetch(`${url}/-/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return { url, logFile, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus did not become ready at ${url}; see ${logFile}`);
    }
    await sleep(200);
  }
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}
