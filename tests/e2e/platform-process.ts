import { expect } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// The platform as a newcomer runs it: `npm start` or `npm run start:distributed` in a terminal of
// its own, read from its banner, stopped with Ctrl-C. One copy for both end-to-end tests.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface Platform {
  child: ChildProcess;
  /** Every `Gateway: <url>` line of the banner, in order. */
  gateways: string[];
  output: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Runs an npm script with the test's `STRATA_*` settings only (none leak in from the shell) and
 * resolves once the banner is out: its last line says how to stop it.
 */
export async function startPlatform(
  script: 'start' | 'start:distributed',
  settings: Record<string, string>,
): Promise<Platform> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('STRATA_')) env[key] = value;
  }
  Object.assign(env, settings);
  // Its own process group, so the test can send SIGINT to the whole group as a terminal's Ctrl-C does.
  const child = spawn('npm', ['run', script, '--silent'], { cwd: root, env, detached: true });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  await new Promise<void>((done, fail) => {
    const look = () => {
      if (/^Ctrl-C stops/m.test(output)) done();
    };
    child.stdout!.on('data', look);
    void exit.then(({ code, signal }) =>
      fail(
        new Error(`npm run ${script} exited (code ${code}, signal ${signal}) before its banner:\n${output}`),
      ),
    );
  });
  const gateways = [...output.matchAll(/^Gateway: (http:\/\/\S+)/gm)].map((match) => match[1]!);
  return { child, gateways, output: () => output, exit };
}

/** A port nothing listens on: bound by the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}

/**
 * `npm start` on free ports with its data in `dataDir`, and every stack endpoint pointed at a
 * closed port: if the embedded platform touched MariaDB, Redis, Kafka or etcd it would fail to come up.
 */
export async function npmStart(dataDir: string, env: Record<string, string> = {}): Promise<Platform> {
  const closed = await closedPort();
  return startPlatform('start', {
    STRATA_PORT: '0',
    STRATA_ADMIN_PORT: '0',
    STRATA_HEALTH_PORT: '0',
    STRATA_REDIRECT_PORT: '0',
    STRATA_DATA_DIR: dataDir,
    STRATA_MYSQL_HOST: '127.0.0.1',
    STRATA_MYSQL_PORT: String(closed),
    STRATA_REDIS_URL: `redis://127.0.0.1:${closed}`,
    STRATA_KAFKA_BROKERS: `127.0.0.1:${closed}`,
    STRATA_ETCD_HOSTS: `http://127.0.0.1:${closed}`,
    ...env,
  });
}

/**
 * Ctrl-C: SIGINT to the whole process group. npm re-raises the signal on itself, so its own exit is
 * "killed by SIGINT"; what matters is that the platform under it said it stopped cleanly and that
 * no process of the group is left (the output streams close only once every holder has exited).
 */
export async function stopPlatform(platform: Platform): Promise<{ leftovers: boolean; output: string }> {
  const closed = new Promise<void>((done) => platform.child.once('close', () => done()));
  process.kill(-platform.child.pid!, 'SIGINT');
  await closed;
  return { leftovers: isAlive(-platform.child.pid!), output: platform.output() };
}

/** Whether a process (or, given a negative id, a process group) still exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function expectCleanStop(stopped: { leftovers: boolean; output: string }): void {
  expect(stopped.leftovers).toBe(false);
  expect(stopped.output).toMatch(/SIGINT received: stopping the gateway/);
  expect(stopped.output).toMatch(/Strata stopped cleanly/);
  expect(stopped.output).not.toMatch(/did not stop cleanly/);
}

/**
 * The `npm start` runs of one test file, all on one data folder (a restart finds what the first
 * run wrote). `cleanUp`, for afterAll, stops a platform a failing test left running and deletes
 * the folder.
 */
export class EmbeddedRuns {
  readonly #prefix: string;
  #dataDir: string | undefined;
  #running: Platform | undefined;

  constructor(prefix: string) {
    this.#prefix = prefix;
  }

  async start(env: Record<string, string> = {}): Promise<Platform> {
    this.#dataDir ??= await mkdtemp(join(tmpdir(), this.#prefix));
    this.#running = await npmStart(this.#dataDir, env);
    return this.#running;
  }

  async cleanUp(): Promise<void> {
    const running = this.#running;
    if (running !== undefined && running.child.exitCode === null && running.child.signalCode === null) {
      await stopPlatform(running);
    }
    if (this.#dataDir !== undefined) await rm(this.#dataDir, { recursive: true, force: true });
  }
}
