import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { dropDatabase, uniqueService } from '@strata/persistence/test-support';
import { root } from './support/rendered.ts';

/*
 * The image's steps without a Docker engine: in a temporary folder, the package manifests alone,
 * then the Dockerfile's own install command (read from the Dockerfile, so the two cannot drift),
 * then the sources, then the same entrypoint script starting identity-service (migrate, then serve)
 * on the shared MariaDB, and account-api — a NestJS app, whose SWC loader must now come from
 * production dependencies — calling it. Each answers its health check.
 *
 * npm reads its cache first (npm_config_prefer_offline): the cache the repository's own install
 * filled, so this takes seconds and no network when nothing changed.
 */

jest.setTimeout(180_000);
const run = promisify(execFile);

/** The install command of the Dockerfile's deps stage: the RUN line after `# image-install:`. */
async function dockerfileInstall(): Promise<string> {
  const lines = (await readFile(join(root, 'Dockerfile'), 'utf8')).split('\n');
  const line = lines[lines.findIndex((candidate) => candidate.trim() === '# image-install:') + 1]!;
  const command = line.replace(/^RUN\s+(--mount=\S+\s+)*/, '');
  expect(command).toMatch(/^npm ci --omit=dev /);
  return command;
}

async function trackedFiles(): Promise<string[]> {
  const { stdout } = await run('git', ['ls-files', '-z'], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
  return stdout.split('\0').filter((path) => path !== '');
}

async function copy(files: string[], into: string): Promise<void> {
  for (const file of files) {
    const exists = await stat(join(root, file)).then(
      () => true,
      () => false,
    );
    if (!exists) continue; // deleted in the working tree, not yet in the index
    await mkdir(dirname(join(into, file)), { recursive: true });
    await cp(join(root, file), join(into, file));
  }
}

interface Started {
  child: ChildProcess;
  output: () => string;
  match: RegExpExecArray;
}

/** Starts the entrypoint as the image's ENTRYPOINT would, and waits for the line that says it serves. */
function start(app: string, args: string[], env: Record<string, string>, ready: RegExp): Promise<Started> {
  const child = spawn('sh', [join(app, 'scripts/service-entrypoint.sh'), ...args], {
    cwd: '/',
    env: {
      PATH: process.env.PATH!,
      HOME: process.env.HOME!,
      NODE_ENV: 'production',
      STRATA_HOME: app,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args[0]} did not become ready:\n${text}`)), 90_000);
    const look = (chunk: Buffer) => {
      text += chunk.toString();
      const match = ready.exec(text);
      if (match !== null) {
        clearTimeout(timer);
        resolve({ child, output: () => text, match });
      }
    };
    child.stdout!.on('data', look);
    child.stderr!.on('data', look);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args[0]} exited with ${code} before it was ready:\n${text}`));
    });
  });
}

function stop(started: Started): Promise<number | null> {
  return new Promise((resolve) => {
    started.child.once('exit', (code) => resolve(code));
    started.child.kill('SIGTERM');
  });
}

describe('the container image, without Docker', () => {
  let dir: string;
  let app: string;
  const schema = uniqueService('image');
  const started: Started[] = [];
  const measured: Record<string, number> = {};

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-image-'));
    app = join(dir, 'app');
    const files = await trackedFiles();
    // Stage `manifests`: the package files alone.
    await copy(
      files.filter((file) => file.endsWith('package.json') || file === 'package-lock.json'),
      app,
    );
    // Stage `deps`: the Dockerfile's install, as it is written there.
    const begun = Date.now();
    await run('sh', ['-c', await dockerfileInstall()], {
      cwd: app,
      env: { ...process.env, npm_config_prefer_offline: 'true', npm_config_update_notifier: 'false' },
      maxBuffer: 64 * 1024 * 1024,
    });
    measured.installSeconds = (Date.now() - begun) / 1000;
    measured.nodeModulesMegabytes = Number(
      (await run('du', ['-sm', join(app, 'node_modules')])).stdout.split('\t')[0],
    );
    // Stage `app`: the sources over the installed packages.
    await copy(files, app);
  });

  afterAll(async () => {
    for (const process of started) if (process.child.exitCode === null) process.child.kill('SIGKILL');
    await dropDatabase(schema);
    await rm(dir, { recursive: true, force: true });
    console.log(
      `image test: production install ${measured.installSeconds ?? '?'} s, node_modules ${measured.nodeModulesMegabytes ?? '?'} MB`,
    );
  });

  it('installs only production dependencies of the deployables', async () => {
    const installed = async (name: string) =>
      stat(join(app, 'node_modules', name)).then(
        () => true,
        () => false,
      );
    for (const needed of ['@mikro-orm/core', 'kafkajs', 'ioredis', '@nestjs/core', '@swc/core', 'yaml']) {
      expect({ needed, installed: await installed(needed) }).toEqual({ needed, installed: true });
    }
    // Dev tooling, the docs generator's and the benchmarks' packages stay out. (@grpc/grpc-js does
    // not: an optional peer of @nestjs/core that npm installs from the lockfile.)
    for (const absent of [
      'jest',
      'eslint',
      'typescript',
      '@swc/jest',
      'dependency-cruiser',
      'kubernetes-models',
      'mermaid',
      'moleculer',
    ]) {
      expect({ absent, installed: await installed(absent) }).toEqual({ absent, installed: false });
    }
  });

  it('refuses a name that is no service, listing the ones it knows', async () => {
    const failed = await run('sh', [join(app, 'scripts/service-entrypoint.sh'), 'no-such-service'], {
      env: { PATH: process.env.PATH!, STRATA_HOME: app },
    }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(2);
    expect(failed?.stderr).toMatch(/no service named no-such-service/);
    expect(failed?.stderr).toMatch(/services: .*identity-service.*gateway link-redirect payment-simulator/);
    expect(failed?.stderr).toMatch(/services: .*account-api/);
  });

  it('migrates, then serves identity-service, which answers its health check; account-api calls it', async () => {
    const platform = {
      STRATA_DATABASE_SERVICE: schema,
      STRATA_DEPLOYMENT: 'imagetest',
      STRATA_EVENT_NAMESPACE: 'imagetest',
      STRATA_RPC_PLAINTEXT: '1',
      STRATA_LOG_LEVEL: 'info',
    };
    const migrate = spawn('sh', [join(app, 'scripts/service-entrypoint.sh'), 'identity-service', 'migrate'], {
      env: { PATH: process.env.PATH!, STRATA_HOME: app, ...platform },
      stdio: 'ignore',
    });
    expect(await new Promise((resolve) => migrate.once('exit', resolve))).toBe(0);

    const identity = await start(
      app,
      ['identity-service'],
      {
        ...platform,
        STRATA_REGISTRY: 'none',
        STRATA_RPC_PORT: '0',
        STRATA_HEALTH_PORT: '0',
      },
      /serving on (127\.0\.0\.1:\d+).*health on (http:\/\/[^\s"]+)/,
    );
    started.push(identity);
    const health = identity.match[2]!.replace(/\/health\/ready$/, '');
    const ready = await fetch(`${health}/health/ready`);
    expect({ status: ready.status, body: await ready.json() }).toEqual({
      status: 200,
      body: { status: 'ready', service: 'identity-service', checks: { database: 'ok', kafka: 'ok' } },
    });
    expect((await fetch(`${health}/health/live`)).status).toBe(200);

    const account = await start(
      app,
      ['account-api'],
      {
        STRATA_REGISTRY: 'static',
        STRATA_IDENTITY_ADDRESS: identity.match[1]!,
        STRATA_RPC_PLAINTEXT: '1',
        STRATA_HTTP_PORT: '0',
        STRATA_REDIS_KEY_PREFIX: `strata:${schema}:account-api:`,
      },
      /account-api listening on (http:\/\/[^\s,"]+)/,
    );
    started.push(account);
    const accountHealth = await fetch(`${account.match[1]}/health`);
    expect({ status: accountHealth.status, body: await accountHealth.json() }).toEqual({
      status: 200,
      body: { status: 'ok', checks: { 'identity-service': 'ok', redis: 'ok' } },
    });

    // SIGTERM, as the kubelet sends it after preStop: both drain and exit 0.
    expect(await stop(account)).toBe(0);
    expect(await stop(identity)).toBe(0);
    expect(identity.output()).toMatch(/identity-service stopped cleanly/);
  });
});
