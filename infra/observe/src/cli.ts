import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDebianCommands } from '@strata/dev-stack';
import { deploymentName, list, loadProcessConfig, port } from '@strata/runtime/env';
import { z } from '@strata/shared-kernel';
import { observe } from './observe.ts';

/*
 * `npm run observe`: a Prometheus over the deployment `npm run start:distributed` runs (the same
 * STRATA_DEPLOYMENT), its targets whatever processes are announced in etcd now and later, the
 * alert rules loaded. Prints its URL; Ctrl-C stops it. Debian's `prometheus` package is installed
 * when missing, as the dev stack installs its tools.
 */

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

const EnvSchema = z.object({
  STRATA_PROMETHEUS_PORT: port.default(9090),
  STRATA_PROMETHEUS_SCRAPE_INTERVAL: z
    .string()
    .regex(/^\d+(ms|s|m)$/, 'a Prometheus duration such as 5s')
    .default('5s'),
  STRATA_ETCD_HOSTS: list.default(['http://127.0.0.1:2379']),
  STRATA_DEPLOYMENT: deploymentName.optional(),
  STRATA_DATA_DIR: z.string().min(1).default(join(root, '.strata')),
});

const env = loadProcessConfig('npm run observe', EnvSchema, process.env);
if (env !== undefined) {
  const deployment = env.STRATA_DEPLOYMENT;
  const distributedDir = join(
    env.STRATA_DATA_DIR,
    deployment === undefined ? 'distributed' : `distributed-${deployment}`,
  );
  const tokenFile = join(distributedDir, 'gateway-admin-token');
  await ensureDebianCommands('prometheus', [
    { command: 'prometheus', debianPackage: 'prometheus' },
    { command: 'promtool', debianPackage: 'prometheus' },
  ]);
  const observing = await observe({
    etcdHosts: env.STRATA_ETCD_HOSTS,
    servicesPrefix: deployment === undefined ? '/strata/services' : `/strata/${deployment}/services`,
    dir: join(env.STRATA_DATA_DIR, deployment === undefined ? 'prometheus' : `prometheus-${deployment}`),
    port: env.STRATA_PROMETHEUS_PORT,
    scrapeInterval: env.STRATA_PROMETHEUS_SCRAPE_INTERVAL,
    ...(existsSync(tokenFile) ? { gatewayTokenFile: tokenFile } : {}),
  });
  const { url, logFile } = observing.prometheus;
  console.log(
    [
      `Prometheus: ${url} (targets: ${url}/targets, alerts: ${url}/alerts)`,
      `  scraping every process announced in etcd (${observing.targetsUrl}/targets/services)` +
        (existsSync(tokenFile)
          ? ', the gateways with their admin token'
          : '; no gateway admin token found, gateways not scraped'),
      `  log: ${relative(process.cwd(), logFile)}`,
      'Ctrl-C stops it.',
    ].join('\n'),
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void observing.stop().then(() => console.log('Prometheus stopped'));
    });
  }
}
