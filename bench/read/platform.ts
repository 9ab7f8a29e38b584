// Strata's read path in distributed mode, started the way `npm run start:distributed` starts it
// (scripts/start-distributed.ts): commerce-service migrated then served on MariaDB over mutual
// TLS and registered in etcd; learner-api found by the gateway through etcd, its course cache in
// Redis; the gateway in front with its rate limits in Redis. Only the processes the course page
// touches run; everything is namespaced by one deployment name, so a run shares the dev stack
// with others, and `stop()` removes the processes, the schema, the Redis keys and the etcd keys.
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stackEndpoints } from '@strata/dev-stack';
import { ensureDevCertificates, type DevCertificates } from '@strata/rpc';
import { DATA_SERVICE_V8_FLAGS } from '@strata/runtime/data-service-v8-flags';
import { removeDeployment } from './deployment-cleanup.ts';
import { runToEnd, startChild, stopChild, waitForLine, type Child } from './processes.ts';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SWC = ['--import', '@strata/runtime/typescript'];
/** The bench's own RPC identity: it seeds nothing through RPC but measures commerce-service directly. */
export const BENCH_CALLER = 'bench-read';

/**
 * commerce-service serves the course; learner-api reports ready (and the gateway routes to it) only
 * while the other data services it calls can take calls, so those run too, idle.
 */
export type DataService = 'commerce-service' | 'learning-service' | 'engagement-service';

export interface Platform {
  readonly deployment: string;
  readonly etcdPrefix: string;
  readonly redisPrefix: string;
  /** The MariaDB schema commerce-service reads and writes (the MVC baseline reads it too). */
  readonly database: string;
  readonly certificates: DevCertificates;
  /** Every service process started, by name (`commerce-service#1`, …). */
  readonly processes: Map<string, Child>;
  /** Migrates a data service's own schema. */
  migrate(service: DataService): Promise<void>;
  startDataService(service: DataService, instance: number): Promise<Child>;
  startLearnerApi(): Promise<string>;
  startGateway(): Promise<string>;
  /** Stops the processes, drops the schema, deletes the deployment's Redis and etcd keys. */
  stop(): Promise<void>;
}

/**
 * The services log at `info`, as deployed: one access line per request on each HTTP hop. No
 * quieter level is offered: every process announces that it is ready (and where) in an info line,
 * which is what the bench waits for.
 */
export async function preparePlatform(dir: string): Promise<Platform> {
  const deployment = `br${randomBytes(4).toString('hex')}`;
  const { etcdHosts } = stackEndpoints();
  const etcdPrefix = `/strata/${deployment}/services`;
  const redisPrefix = `strata:${deployment}:`;
  const database = `strata_${deployment}_commerce_service`;
  const certificates = await ensureDevCertificates({
    dir: join(dir, 'certs'),
    services: ['commerce-service', 'learning-service', 'engagement-service', 'learner-api', BENCH_CALLER],
  });
  const processes = new Map<string, Child>();
  const base: Record<string, string> = {
    ...(process.env as Record<string, string>),
    STRATA_SUPERVISED: '1',
    STRATA_LOG_LEVEL: 'info',
    STRATA_REGISTRY: 'etcd',
    STRATA_ETCD_HOSTS: etcdHosts.join(','),
    STRATA_ETCD_PREFIX: etcdPrefix,
    STRATA_EVENT_NAMESPACE: deployment,
    STRATA_DEPLOYMENT: deployment,
  };
  const tls = (service: string) => ({
    STRATA_TLS_CA_FILE: certificates.caCertFile,
    STRATA_TLS_CERT_FILE: certificates.services[service]!.certFile,
    STRATA_TLS_KEY_FILE: certificates.services[service]!.keyFile,
  });
  const script = (service: DataService) => join(root, 'data-services', service, 'src/main.ts');
  const databaseEnv = (service: DataService) => ({ STRATA_DATABASE_SERVICE: `${deployment}_${service}` });
  let learnerUrl: string | undefined;

  const serve = async (
    name: string,
    args: string[],
    env: Record<string, string>,
    ready: RegExp,
  ): Promise<[Child, RegExpExecArray]> => {
    const child = startChild({
      name,
      command: process.execPath,
      args,
      cwd: root,
      env: { ...base, ...env },
      logFile: join(dir, `${name.replace('#', '-')}.log`),
    });
    processes.set(name, child);
    return [child, await waitForLine(child, ready)];
  };

  return {
    deployment,
    etcdPrefix,
    redisPrefix,
    database,
    certificates,
    processes,
    async migrate(service) {
      await runToEnd({
        name: `${service} migrate`,
        command: process.execPath,
        args: [script(service), 'migrate'],
        cwd: root,
        env: { ...base, ...databaseEnv(service), STRATA_LOG_LEVEL: 'info' },
        logFile: join(dir, `${service}-migrate.log`),
      });
    },
    async startDataService(service, instance) {
      const [child] = await serve(
        `${service}#${instance}`,
        // As the launcher and the image start a data service (ADR 0053).
        [...DATA_SERVICE_V8_FLAGS, script(service)],
        {
          ...databaseEnv(service),
          ...tls(service),
          STRATA_RPC_PORT: '0',
          STRATA_TLS_ALLOWED_CALLERS: ['learner-api', BENCH_CALLER].join(','),
          // Required to serve; the course page never reaches a payment provider.
          STRATA_PAYMENT_PROVIDER_URL: 'http://127.0.0.1:9',
        },
        /serving on ([^\s:]+:\d+)/,
      );
      return child;
    },
    async startLearnerApi() {
      const [, ready] = await serve(
        'learner-api#1',
        [...SWC, join(root, 'application-services/learner-api/src/main.ts')],
        {
          ...tls('learner-api'),
          STRATA_HTTP_PORT: '0',
          STRATA_HTTP_HOST: '127.0.0.1',
          STRATA_REDIS_KEY_PREFIX: `${redisPrefix}learner-api:`,
          STRATA_CACHE_CONSUMER_GROUP: `${deployment}.learner-api.course-cache`,
          STRATA_PAYMENT_WEBHOOK_SECRET: randomBytes(24).toString('hex'),
          // The catalog contract's client-side limit (1,000 calls/s a calling process) would cap the
          // cache-miss row at that rate on a machine that serves more: raised out of reach as an
          // operator would, the limiter kept, so every call still pays for it.
          STRATA_RPC_RATE_LIMITS: 'commerce-service=1000000000/1000000',
        },
        /learner-api listening on (http:\/\/[^\s,"]+)/,
      );
      learnerUrl = ready[1]!;
      return learnerUrl;
    },
    async startGateway() {
      // The shipped routes, but for the course page's per-client limit (600 a minute, which one
      // load generator on one address would hit at once): raised out of reach, the plugin kept, so
      // every request still pays the limiter's Redis round trip as a learner's would.
      const routes = JSON.parse(await readFile(join(root, 'infra/gateway/routes.json'), 'utf8')) as {
        routes: { name: string; plugins?: { rateLimit?: { limit: number } } }[];
      };
      const catalog = routes.routes.find((route) => route.name === 'catalog')?.plugins?.rateLimit;
      if (catalog === undefined)
        throw new Error('infra/gateway/routes.json has no rate-limited catalog route');
      catalog.limit = 1_000_000_000;
      const routesFile = join(dir, 'routes.json');
      await writeFile(routesFile, JSON.stringify(routes));
      const [, ready] = await serve(
        'gateway#1',
        [join(root, 'infra/gateway/src/main.ts')],
        {
          STRATA_GATEWAY_HOST: '127.0.0.1',
          STRATA_GATEWAY_PORT: '0',
          STRATA_GATEWAY_ADMIN_HOST: '127.0.0.1',
          STRATA_GATEWAY_ADMIN_PORT: '0',
          STRATA_GATEWAY_ADMIN_TOKEN: randomBytes(24).toString('hex'),
          STRATA_GATEWAY_ETCD_PREFIX: etcdPrefix,
          STRATA_GATEWAY_ROUTES: routesFile,
          // The course page is public: no token is verified, but the gateway needs a key source.
          STRATA_GATEWAY_JWKS_URL: `${learnerUrl ?? 'http://127.0.0.1:9'}/.well-known/jwks.json`,
          STRATA_GATEWAY_JWT_ALGORITHMS: 'EdDSA',
          STRATA_GATEWAY_RATE_LIMIT_STORE: 'redis',
          STRATA_GATEWAY_RATE_LIMIT_PREFIX: `${redisPrefix}gateway:rl:`,
          STRATA_GATEWAY_LOG_LEVEL: 'info',
        },
        /"ready":true,"url":"([^"]+)"/,
      );
      return ready[1]!;
    },
    async stop() {
      for (const child of [...processes.values()].reverse()) await stopChild(child);
      await removeDeployment(deployment);
    },
  };
}
