import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { buildDocsSite, loadPlatform } from '@strata/docs-tools';
import { ensureDevCertificates } from '@strata/rpc';
import { loadProcessConfig, ProcessSupervisor } from '@strata/runtime';
import { topology } from '../config/topology.ts';
import {
  builtServices,
  DEMO_SEED,
  EnvSchema,
  linkRedirect,
  planOf,
  root,
} from './distributed/process-layout.ts';
import { startAll } from './distributed/start-processes.ts';
import { echo, upBanner } from './distributed/terminal-output.ts';

/*
 * `npm run start:distributed`: every built service of config/topology.ts as its own process, the
 * way production runs them — data services on MariaDB with their outbox relayed to Kafka, over
 * mutual TLS, found through etcd; application services registered in etcd; two gateways in front
 * sharing their rate limits through Redis. Nothing here knows a service's internals: it sets the
 * environment each main.ts documents and waits for the line that says it serves.
 */

/** A bound on a hung stop on a busy 2-core machine, not a performance claim. */
const STOP_GRACE_MS = 20_000;

async function bringStackUp(): Promise<void> {
  const code = await new Promise<number | null>((done) =>
    spawn(process.execPath, ['infra/dev-stack/src/cli.ts', 'up'], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
    }).once('close', done),
  );
  if (code !== 0) {
    throw new Error(
      'the dev stack (MariaDB, Redis, Kafka, etcd) is not up; the lines above say what is missing (`npm run stack:status`)',
    );
  }
}

async function main(): Promise<void> {
  const env = loadProcessConfig(
    'the distributed platform (npm run start:distributed)',
    EnvSchema,
    process.env,
  );
  if (env === undefined) return;
  const deployment = env.STRATA_DEPLOYMENT;
  const dir = join(
    env.STRATA_DATA_DIR,
    deployment === undefined ? 'distributed' : `distributed-${deployment}`,
  );
  await mkdir(join(dir, 'logs'), { recursive: true });
  const instances = new Map(
    env.STRATA_INSTANCES.split(',').map((pair) => {
      const [name, count] = pair.split('=') as [string, string];
      return [name, Number(count)] as const;
    }),
  );
  const dataServices = builtServices('data-services', Object.keys(topology.dataServices));
  const appServices = builtServices('application-services', Object.keys(topology.applicationServices));
  const known = new Set([...dataServices, ...appServices, 'gateway', ...linkRedirect(dataServices)]);
  const unknown = [...instances.keys()].filter((name) => !known.has(name));
  if (unknown.length > 0) {
    process.stderr.write(
      `npm run start:distributed: STRATA_INSTANCES names ${unknown.join(', ')}, which is not a built service; ` +
        `choose among ${[...known].join(', ')}\n`,
    );
    process.exitCode = 2;
    return;
  }

  console.log('Bringing the dev stack up (reusing what already answers)…');
  await bringStackUp();
  // The gateway serves the HTML docs at /docs; they are built, not committed.
  await buildDocsSite(await loadPlatform(root));
  const certificates = await ensureDevCertificates({
    dir: join(dir, 'certs'),
    services: [...dataServices, ...appServices, ...linkRedirect(dataServices), DEMO_SEED],
  });
  const plan = planOf(env, dir, instances, certificates);

  const supervisor = new ProcessSupervisor({
    onLine: echo,
    onUnexpectedExit: (name, exit, tail) =>
      process.stderr.write(
        `${name} exited unexpectedly (code ${exit.code}, signal ${exit.signal}); the rest keeps running.\n` +
          `  Its last lines:\n${tail.map((line) => `    ${line}`).join('\n')}\n`,
      ),
  });
  let stopping = false;
  const stop = async (reason: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log(`${reason}: stopping the gateways, the application services, then the data services`);
    const stopped = await supervisor.stop(STOP_GRACE_MS);
    const unclean = stopped.filter((process) => !process.clean);
    for (const process of unclean) {
      console.error(
        `  ${process.name} did not stop cleanly (code ${process.code}, signal ${process.signal}); see its log`,
      );
    }
    if (unclean.length === 0) {
      console.log(`Strata stopped cleanly (${stopped.length} processes)`);
    } else {
      console.error(`Strata did not stop cleanly: ${unclean.map((process) => process.name).join(', ')}`);
      process.exitCode = 1;
    }
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => void stop(`${signal} received`));
  }

  try {
    const started = await startAll(supervisor, plan, dataServices, appServices);
    if (stopping) return;
    const running = new Set([...dataServices, ...appServices]);
    console.log(upBanner(started, running, dir));
  } catch (error) {
    if (stopping) return;
    console.error(`npm run start:distributed failed: ${(error as Error).message}`);
    await stop('start failed');
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error('npm run start:distributed failed:', error);
  process.exit(1);
});
