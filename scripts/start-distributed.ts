import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalogContract } from '@strata/catalog/contract';
import { buildDocsSite, loadPlatform } from '@strata/docs-tools';
import { identityContract } from '@strata/identity/contract';
import { ensureDevCertificates, type DevCertificates } from '@strata/rpc';
import {
  connectDataService,
  deploymentName,
  list,
  loadProcessConfig,
  logLevel,
  port,
  ProcessSupervisor,
  type DataServiceEnv,
  type RunningProcess,
  type ServiceSpec,
} from '@strata/runtime';
import { z } from '@strata/shared-kernel';
import { topology } from '../config/topology.ts';
import { demoBanner } from './demo-banner.ts';
import {
  pointWebhooksAt,
  startPaymentSimulator,
  type RunningPaymentSimulator,
} from './payment-simulator-process.ts';
import { seedDemoData, type SeedOutcome } from './seed/demo-data.ts';

/*
 * `npm run start:distributed`: every built service of config/topology.ts as its own process, the
 * way production runs them — data services on MariaDB with their outbox relayed to Kafka, over
 * mutual TLS, found through etcd; application services registered in etcd; two gateways in front
 * sharing their rate limits through Redis. Nothing here knows a service's internals: it sets the
 * environment each main.ts documents and waits for the line that says it serves.
 */

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SWC = ['--import', '@strata/runtime/typescript'];
// kafkajs 2.2.4 schedules a timer from a zero timestamp on every connection (tulios/kafkajs#1751,
// harmless and unfixed upstream): silenced by name so it does not bury real warnings at start.
// Tracing's preload starts OpenTelemetry when OTEL_EXPORTER_OTLP_ENDPOINT is set (ADR 0025).
const NODE_FLAGS = ['--disable-warning=TimeoutNegativeWarning', '--import', '@strata/runtime/tracing'];
/** Bounds on a hung start or stop on a busy 2-core machine, not performance claims. */
const READY_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 20_000;
const DEMO_SEED = 'demo-seed';
/** The application service that issues access tokens; the others verify them against its JWKS. */
const TOKEN_ISSUER = 'account-api';
/** The application service that receives the payment provider's webhooks (issue 16's checkout). */
const PAYMENT_WEBHOOK_RECEIVER = 'learner-api';
/** The short domain's process (ADR 0018): it calls the data service hosting links on a cache miss. */
const LINK_REDIRECT = 'link-redirect';

const EnvSchema = z.object({
  /** Gateway n listens on STRATA_PORT + 2(n−1), its admin API one above; 0 picks free ports. */
  STRATA_PORT: port.default(8080),
  STRATA_HOST: z.string().min(1).default('127.0.0.1'),
  STRATA_DATA_DIR: z.string().min(1).default(join(root, '.strata')),
  /** Into each process's log file; the terminal shows warnings and errors. */
  STRATA_LOG_LEVEL: logLevel.default('info'),
  /** The dev stack's etcd, handed to every process as its registry. */
  STRATA_ETCD_HOSTS: list.default(['http://127.0.0.1:2379']),
  /**
   * Instances per service, e.g. `commerce-service=2,gateway=2`; unnamed services run once.
   * Two commerce-service instances and two gateways show balancing and cluster-wide limits.
   */
  STRATA_INSTANCES: z
    .string()
    .regex(
      /^([a-z][a-z0-9-]*=[1-9]\d?)(,[a-z][a-z0-9-]*=[1-9]\d?)*$/,
      'a list like commerce-service=2,gateway=2',
    )
    .default('commerce-service=2,gateway=2'),
  /**
   * Names a deployment so two can share one MariaDB, Redis, etcd and Kafka (a test run beside a
   * developer's): it namespaces the schemas, registry prefix, Redis keys, Kafka topics and
   * consumer groups and job queues.
   */
  STRATA_DEPLOYMENT: deploymentName.optional(),
  /**
   * Where the gateways are reached from outside: the short links the application services make lead
   * to pages under it. By default the first gateway's address; with STRATA_PORT=0 that is not known
   * before the application services start, so they keep their own default unless this is given.
   */
  STRATA_PUBLIC_API_URL: z.url({ protocol: /^https?$/ }).optional(),
});
type Env = z.output<typeof EnvSchema>;

interface Plan {
  env: Env;
  dir: string;
  instances: Map<string, number>;
  etcdPrefix: string;
  redisPrefix: string;
  certificates: DevCertificates;
  base: Record<string, string>;
}

/** Services that are built (have a main.ts); the rest of the topology is planned. */
function builtServices(kind: 'data-services' | 'application-services', names: string[]): string[] {
  return names.filter((name) => existsSync(join(root, kind, name, 'src/main.ts')));
}

/** The short domain runs once the data service hosting links is built. */
function linkRedirect(dataServices: string[]): string[] {
  return dataServices.includes(hostOf('links')) ? [LINK_REDIRECT] : [];
}

/** Who may call a data service: the application services whose `calls` name a context it hosts. */
function allowedCallers(dataService: string): string[] {
  const hosted = new Set(topology.dataServices[dataService]!.contexts);
  const callers = Object.entries(topology.applicationServices)
    .filter(([, { calls }]) => calls.some((context) => hosted.has(context)))
    .map(([name]) => name);
  return [...callers, ...(hosted.has('links') ? [LINK_REDIRECT] : []), DEMO_SEED];
}

/** The data service hosting a context, by config/topology.ts. */
function hostOf(context: string): string {
  const [host] = Object.entries(topology.dataServices).find(([, { contexts }]) =>
    contexts.includes(context),
  )!;
  return host;
}

/**
 * What an application service is told, by its entry in config/topology.ts: its own Redis key
 * space, the issuer's JWKS unless it is the issuer, and a consumer group of this deployment for
 * each read model it keeps from events (a cache of catalog events, the sales from ordering's).
 * The data services it calls it finds in etcd by name; Kafka brokers and Redis are the dev stack's
 * (each main.ts defaults to them), the topics' namespace is STRATA_EVENT_NAMESPACE in the base.
 */
function appServiceEnv(plan: Plan, service: string, jwksUrl: string | undefined): Record<string, string> {
  const { consumes } = topology.applicationServices[service]!;
  const deployment = plan.env.STRATA_DEPLOYMENT;
  const group = (name: string) => `${deployment === undefined ? '' : `${deployment}.`}${service}.${name}`;
  return {
    ...tlsEnv(plan, service),
    STRATA_HTTP_PORT: '0',
    STRATA_HTTP_HOST: '127.0.0.1',
    STRATA_REDIS_KEY_PREFIX: `${plan.redisPrefix}${service}:`,
    ...(jwksUrl === undefined ? {} : { STRATA_JWKS_URL: jwksUrl }),
    // A cache of courses is kept fresh by the catalog's events, in one group per service and deployment.
    ...('catalog' in consumes ? { STRATA_CACHE_CONSUMER_GROUP: group('course-cache') } : {}),
    // The instructors' sales read model is fed by ordering's paid and refunded orders.
    ...('ordering' in consumes ? { STRATA_SALES_CONSUMER_GROUP: group('sales') } : {}),
    // New notifications are fanned out to the instances holding the learners' live connections.
    ...('notification' in consumes ? { STRATA_PUSH_CONSUMER_GROUP: group('push') } : {}),
  };
}

function tlsEnv(plan: Plan, service: string): Record<string, string> {
  const files = plan.certificates.services[service]!;
  return {
    STRATA_TLS_CA_FILE: plan.certificates.caCertFile,
    STRATA_TLS_CERT_FILE: files.certFile,
    STRATA_TLS_KEY_FILE: files.keyFile,
  };
}

function spec(
  plan: Plan,
  name: string,
  instance: number,
  script: string,
  extra: { args?: string[]; env: Record<string, string>; ready: RegExp; layer: Layer },
): ServiceSpec {
  const label = `${name}#${instance}`;
  return {
    name: label,
    command: process.execPath,
    args: [...NODE_FLAGS, ...(extra.args ?? []), script],
    cwd: root,
    env: { ...plan.base, OTEL_SERVICE_NAME: name, ...extra.env },
    logFile: join(plan.dir, 'logs', `${name}-${instance}.log`),
    ready: extra.ready,
    readyTimeoutMs: READY_TIMEOUT_MS,
    layer: extra.layer,
  };
}

/** What stops together (ProcessSupervisor): the short domain with the application services, both in front of the data services. */
type Layer = 'gateway' | 'application' | 'data-service';

const LEVELS: Record<number, string> = { 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };

// pino writes the level first; reading it there spares a JSON parse of every info line (the
// gateways' access log) in the process that relays them all.
const PINO_LEVEL = /^\{"level":(\d+),/;

/** Lines a person should see now: warnings and worse from the JSON logs, and anything not JSON. */
function echo(name: string, line: string): void {
  const level = PINO_LEVEL.exec(line);
  if (level !== null && Number(level[1]) < 40) return;
  let entry: { level?: unknown; msg?: unknown; err?: { message?: unknown } } | undefined;
  try {
    entry = JSON.parse(line) as typeof entry;
  } catch {
    process.stderr.write(`${name} | ${line}\n`);
    return;
  }
  if (typeof entry?.level !== 'number' || entry.level < 40) return;
  const cause = typeof entry.err?.message === 'string' ? ` (${entry.err.message})` : '';
  process.stderr.write(`${name} | ${LEVELS[entry.level] ?? 'WARN '} ${String(entry.msg)}${cause}\n`);
}

async function bringStackUp(): Promise<void> {
  const code = await new Promise<number | null>((done) =>
    spawn(
      process.execPath,
      ['--disable-warning=TimeoutNegativeWarning', 'infra/dev-stack/src/cli.ts', 'up'],
      {
        cwd: root,
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    ).once('close', done),
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
  const etcdPrefix = deployment === undefined ? '/strata/services' : `/strata/${deployment}/services`;
  const redisPrefix = deployment === undefined ? 'strata:' : `strata:${deployment}:`;
  const plan: Plan = {
    env,
    dir,
    instances,
    etcdPrefix,
    redisPrefix,
    certificates,
    base: {
      ...(process.env as Record<string, string>),
      STRATA_SUPERVISED: '1',
      STRATA_LOG_LEVEL: env.STRATA_LOG_LEVEL,
      STRATA_REGISTRY: 'etcd',
      STRATA_ETCD_HOSTS: env.STRATA_ETCD_HOSTS.join(','),
      STRATA_ETCD_PREFIX: etcdPrefix,
      // Every process's admin port (probes, /metrics) on a free port, announced in etcd to `npm run observe`.
      STRATA_HEALTH_PORT: '0',
      // Names the deployment's event topics and consumer groups, and its job queues' Redis keys.
      ...(deployment === undefined
        ? {}
        : { STRATA_EVENT_NAMESPACE: deployment, STRATA_DEPLOYMENT: deployment }),
    },
  };

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
    const url = started.gateways[0]!.url;
    console.log(
      [
        `Strata is up (distributed: ${started.processes.length} processes on MariaDB, Redis, Kafka and etcd; RPC over mutual TLS).`,
        `Gateway: ${url}`,
        ...started.gateways
          .slice(1)
          .map((gateway) => `Gateway: ${gateway.url} (same routes; rate limits shared through Redis)`),
        ...demoBanner(url, started.seed, running),
        `Processes (logs in ${relative(process.cwd(), join(dir, 'logs')) || '.'}):`,
        ...started.processes.map(
          (running) => `  ${running.name.padEnd(20)} pid ${String(running.pid).padEnd(8)} ${running.address}`,
        ),
        ...(started.shortLinks.length > 0
          ? [
              `Short links: ${started.shortLinks.map((url) => `${url}/<slug>`).join(', ')} (the short domain; same links on each)`,
            ]
          : []),
        `Payment simulator: ${started.paymentSimulator.url} (pay or decline on its payment pages; webhooks to ${started.webhookUrl})`,
        `Gateway admin APIs: ${started.gateways.map((gateway) => gateway.adminUrl).join(', ')} (GET /jobs shows the job queues; bearer token in ${relative(process.cwd(), started.adminTokenFile)})`,
        '`npm run observe` starts a Prometheus scraping every process found in etcd.',
        'Ctrl-C stops them all: the gateways first, the data services last.',
      ].join('\n'),
    );
  } catch (error) {
    if (stopping) return;
    console.error(`npm run start:distributed failed: ${(error as Error).message}`);
    await stop('start failed');
    process.exitCode = 1;
  }
}

interface Started {
  processes: (RunningProcess & { address: string })[];
  /** The short domain's instances (link-redirect), each serving `<url>/<slug>`. */
  shortLinks: string[];
  gateways: { url: string; adminUrl: string }[];
  adminTokenFile: string;
  seed: SeedOutcome;
  paymentSimulator: RunningPaymentSimulator;
  /** Where the simulator delivers its webhooks: the gateway's public webhook route. */
  webhookUrl: string;
}

/**
 * In dependency order: the payment simulator (an outside system the services call), migrations,
 * data services, the token issuer (whose JWKS the others verify tokens with), the other
 * application services, the demo seed, then the gateways.
 */
async function startAll(
  supervisor: ProcessSupervisor,
  plan: Plan,
  dataServices: string[],
  appServices: string[],
): Promise<Started> {
  const processes: Started['processes'] = [];
  const count = (service: string) => plan.instances.get(service) ?? 1;
  // Listed in the order of the plan, whichever instance happened to be ready first.
  const startEach = async (
    service: string,
    make: (instance: number) => ServiceSpec,
    address: (match: RegExpExecArray) => string,
  ) => {
    const started = await Promise.all(
      Array.from({ length: count(service) }, (_, index) => supervisor.start(make(index + 1))),
    );
    return started.map((running) => ({ ...running, address: address(running.ready) }));
  };
  const deployment = plan.env.STRATA_DEPLOYMENT;
  const databaseEnv = (service: string): Record<string, string> =>
    deployment === undefined ? {} : { STRATA_DATABASE_SERVICE: `${deployment}_${service}` };

  const paymentSimulator = await startPaymentSimulator(supervisor, {
    root,
    logDir: join(plan.dir, 'logs'),
    logLevel: plan.env.STRATA_LOG_LEVEL,
    env: plan.base,
  });
  processes.push({ ...paymentSimulator.process, address: `http ${paymentSimulator.url}` });
  // The data service hosting ordering calls the provider; the webhook receiver verifies its signatures.
  const paymentEnv = (service: string): Record<string, string> => ({
    ...(service === hostOf('ordering') ? { STRATA_PAYMENT_PROVIDER_URL: paymentSimulator.url } : {}),
    ...(service === PAYMENT_WEBHOOK_RECEIVER
      ? { STRATA_PAYMENT_WEBHOOK_SECRET: paymentSimulator.webhookSecret }
      : {}),
  });

  for (const service of dataServices) {
    const script = join(root, 'data-services', service, 'src/main.ts');
    const { code, tail } = await supervisor.run({
      name: `${service} migrate`,
      command: process.execPath,
      args: [...NODE_FLAGS, script, 'migrate'],
      cwd: root,
      env: { ...plan.base, ...databaseEnv(service) },
      logFile: join(plan.dir, 'logs', `${service}-migrate.log`),
    });
    if (code !== 0) throw new Error(`migrating ${service} failed (exit ${code}):\n${tail.join('\n')}`);
  }

  const dataInstances = await Promise.all(
    dataServices.map((service) =>
      startEach(
        service,
        (instance) =>
          spec(plan, service, instance, join(root, 'data-services', service, 'src/main.ts'), {
            env: {
              ...databaseEnv(service),
              ...tlsEnv(plan, service),
              ...paymentEnv(service),
              STRATA_RPC_PORT: '0',
              STRATA_TLS_ALLOWED_CALLERS: allowedCallers(service).join(','),
            },
            ready: /serving on ([^\s:]+:\d+)/,
            layer: 'data-service',
          }),
        (match) => `rpc ${match[1]} (mutual TLS)`,
      ),
    ),
  );
  processes.push(...dataInstances.flat());

  // The short domain: two instances by default (STRATA_INSTANCES=link-redirect=n), sharing Redis.
  const visitorHashKey = randomBytes(32).toString('hex');
  const redirects =
    linkRedirect(dataServices).length === 0
      ? []
      : await Promise.all(
          Array.from({ length: plan.instances.get(LINK_REDIRECT) ?? 2 }, (_, index) =>
            supervisor.start(
              spec(
                plan,
                LINK_REDIRECT,
                index + 1,
                join(root, 'data-services', hostOf('links'), 'src/redirect-main.ts'),
                {
                  env: {
                    ...tlsEnv(plan, LINK_REDIRECT),
                    STRATA_REDIRECT_HOST: plan.env.STRATA_HOST,
                    STRATA_REDIRECT_PORT:
                      plan.env.STRATA_PORT === 0 ? '0' : String(plan.env.STRATA_PORT + 10 + index),
                    STRATA_REDIRECT_INSTANCE: `redirect-${index + 1}`,
                    STRATA_VISITOR_HASH_KEY: visitorHashKey,
                    STRATA_REDIS_KEY_PREFIX: plan.redisPrefix,
                  },
                  ready: /serving short links on (http:\/\/[^\s"]+)/,
                  layer: 'application',
                },
              ),
            ),
          ),
        );
  processes.push(...redirects.map((running) => ({ ...running, address: `http ${running.ready[1]}` })));

  // Where the short links the application services make lead (under the gateway) and are served.
  const publicApiUrl =
    plan.env.STRATA_PUBLIC_API_URL ??
    (plan.env.STRATA_PORT === 0 ? undefined : `http://${plan.env.STRATA_HOST}:${plan.env.STRATA_PORT}`);
  const linksEnv: Record<string, string> = {
    ...(publicApiUrl === undefined ? {} : { STRATA_PUBLIC_API_URL: publicApiUrl }),
    ...(redirects[0] === undefined ? {} : { STRATA_SHORT_LINK_URL: redirects[0].ready[1]! }),
  };
  const app = (service: string, jwksUrl?: string) =>
    startEach(
      service,
      (instance) =>
        spec(plan, service, instance, join(root, 'application-services', service, 'src/main.ts'), {
          args: SWC,
          env: { ...appServiceEnv(plan, service, jwksUrl), ...paymentEnv(service), ...linksEnv },
          ready: new RegExp(`${service} listening on (http://[^\\s,]+)`),
          layer: 'application',
        }),
      (match) => `http ${match[1]}`,
    );

  // The token issuer first: every other service verifies its tokens against the issuer's JWKS.
  if (!appServices.includes(TOKEN_ISSUER)) {
    throw new Error(`config/topology.ts has no built ${TOKEN_ISSUER}, which issues the access tokens`);
  }
  const issuers = await app(TOKEN_ISSUER);
  processes.push(...issuers);
  const jwksUrl = `${issuers[0]!.ready[1]}/.well-known/jwks.json`;
  const otherInstances = await Promise.all(
    appServices.filter((service) => service !== TOKEN_ISSUER).map((service) => app(service, jwksUrl)),
  );
  processes.push(...otherInstances.flat());

  const seed = await seedThroughRpc(plan);

  const adminToken = randomBytes(24).toString('hex');
  const adminTokenFile = join(plan.dir, 'gateway-admin-token');
  await writeFile(adminTokenFile, `${adminToken}\n`, { mode: 0o600 });
  const gatewayPort = (instance: number, offset: number) =>
    plan.env.STRATA_PORT === 0 ? 0 : plan.env.STRATA_PORT + 2 * (instance - 1) + offset;
  const gateways = await startEach(
    'gateway',
    (instance) =>
      spec(plan, 'gateway', instance, join(root, 'infra/gateway/src/main.ts'), {
        env: {
          STRATA_GATEWAY_HOST: plan.env.STRATA_HOST,
          STRATA_GATEWAY_PORT: String(gatewayPort(instance, 0)),
          STRATA_GATEWAY_ADMIN_HOST: '127.0.0.1',
          STRATA_GATEWAY_ADMIN_PORT: String(gatewayPort(instance, 1)),
          STRATA_GATEWAY_ADMIN_TOKEN: adminToken,
          STRATA_GATEWAY_ETCD_PREFIX: plan.etcdPrefix,
          STRATA_GATEWAY_JWKS_URL: jwksUrl,
          STRATA_GATEWAY_JWT_ALGORITHMS: 'EdDSA',
          STRATA_GATEWAY_RATE_LIMIT_STORE: 'redis',
          STRATA_GATEWAY_RATE_LIMIT_PREFIX: `${plan.redisPrefix}gateway:rl:`,
          STRATA_GATEWAY_DOCS_DIR: join(root, 'docs/site'),
          STRATA_GATEWAY_JOB_QUEUES: dataServices.join(','),
          STRATA_GATEWAY_LOG_LEVEL:
            plan.env.STRATA_LOG_LEVEL === 'trace' ? 'debug' : plan.env.STRATA_LOG_LEVEL,
        },
        ready: /"ready":true,"url":"([^"]+)","adminUrl":"([^"]+)"/,
        layer: 'gateway',
      }),
    (match) => `http ${match[1]}, admin ${match[2]}`,
  );
  processes.push(...gateways);
  // Webhooks through the first gateway, as a provider delivers to one public address (behind a
  // load balancer in production); the gateway spreads them over the learner-api instances.
  const webhookUrl = await pointWebhooksAt(paymentSimulator, gateways[0]!.ready[1]!);
  return {
    processes,
    shortLinks: redirects.map((running) => running.ready[1]!),
    webhookUrl,
    gateways: gateways.map((gateway) => ({ url: gateway.ready[1]!, adminUrl: gateway.ready[2]! })),
    adminTokenFile,
    seed,
    paymentSimulator,
  };
}

/** The demo data, through the contracts over the same mutual-TLS RPC the services use. */
async function seedThroughRpc(plan: Plan): Promise<SeedOutcome> {
  const files = plan.certificates.services[DEMO_SEED]!;
  const env: DataServiceEnv = {
    STRATA_REGISTRY: 'etcd',
    STRATA_ETCD_HOSTS: plan.env.STRATA_ETCD_HOSTS,
    STRATA_ETCD_PREFIX: plan.etcdPrefix,
    STRATA_RPC_PLAINTEXT: false,
    STRATA_TLS_CA_FILE: plan.certificates.caCertFile,
    STRATA_TLS_CERT_FILE: files.certFile,
    STRATA_TLS_KEY_FILE: files.keyFile,
  };
  const logger = {
    warn: (details: Record<string, unknown>, message: string) => console.warn(message, details),
  };
  const identity = await connectDataService({
    service: hostOf(identityContract.context),
    contracts: [identityContract],
    env,
    logger,
  });
  const commerce = await connectDataService({
    service: hostOf(catalogContract.context),
    contracts: [catalogContract],
    env,
    logger,
  });
  try {
    return await seedDemoData({ identity: identity.invoke, commerce: commerce.invoke });
  } finally {
    await Promise.all([identity.close(), commerce.close()]);
  }
}

main().catch((error: unknown) => {
  console.error('npm run start:distributed failed:', error);
  process.exit(1);
});
