import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DevCertificates } from '@strata/rpc';
import { deploymentName, list, logLevel, port, type ServiceSpec } from '@strata/runtime';
import { DATA_SERVICE_V8_FLAGS } from '@strata/runtime/data-service-v8-flags';
import { z } from '@strata/shared-kernel';
import { topology } from '../../config/topology.ts';

/*
 * The processes of `npm run start:distributed` as config/topology.ts lays them out: which services
 * run, who may call whom, and what each process is told (the variables its main.ts documents).
 */

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SWC = ['--import', '@strata/runtime/typescript'];
// Tracing's preload starts OpenTelemetry when OTEL_EXPORTER_OTLP_ENDPOINT is set (ADR 0025).
export const NODE_FLAGS = ['--import', '@strata/runtime/tracing'];
/** A bound on a hung start on a busy 2-core machine, not a performance claim. */
const READY_TIMEOUT_MS = 120_000;
export const DEMO_SEED = 'demo-seed';
/** The application service that issues access tokens; the others verify them against its JWKS. */
export const TOKEN_ISSUER = 'account-api';
/** The application service that receives the payment provider's webhooks (issue 16's checkout). */
export const PAYMENT_WEBHOOK_RECEIVER = 'learner-api';
/** The short domain's process (ADR 0018): it calls the data service hosting links on a cache miss. */
export const LINK_REDIRECT = 'link-redirect';

export const EnvSchema = z.object({
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

export interface Plan {
  env: Env;
  dir: string;
  instances: Map<string, number>;
  etcdPrefix: string;
  redisPrefix: string;
  certificates: DevCertificates;
  base: Record<string, string>;
}

/**
 * One run's plan: where its files go, how many instances of each service, the registry and Redis
 * prefixes of its deployment, its certificates, and the variables every process is given.
 */
export function planOf(
  env: Env,
  dir: string,
  instances: Map<string, number>,
  certificates: DevCertificates,
): Plan {
  const deployment = env.STRATA_DEPLOYMENT;
  const etcdPrefix = deployment === undefined ? '/strata/services' : `/strata/${deployment}/services`;
  const redisPrefix = deployment === undefined ? 'strata:' : `strata:${deployment}:`;
  return {
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
}

/** Services that are built (have a main.ts); the rest of the topology is planned. */
export function builtServices(kind: 'data-services' | 'application-services', names: string[]): string[] {
  return names.filter((name) => existsSync(join(root, kind, name, 'src/main.ts')));
}

/** The short domain runs once the data service hosting links is built. */
export function linkRedirect(dataServices: string[]): string[] {
  return dataServices.includes(hostOf('links')) ? [LINK_REDIRECT] : [];
}

/** Who may call a data service: the application services whose `calls` name a context it hosts. */
export function allowedCallers(dataService: string): string[] {
  const hosted = new Set(topology.dataServices[dataService]!.contexts);
  const callers = Object.entries(topology.applicationServices)
    .filter(([, { calls }]) => calls.some((context) => hosted.has(context)))
    .map(([name]) => name);
  return [...callers, ...(hosted.has('links') ? [LINK_REDIRECT] : []), DEMO_SEED];
}

/** The data service hosting a context, by config/topology.ts. */
export function hostOf(context: string): string {
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
export function appServiceEnv(
  plan: Plan,
  service: string,
  jwksUrl: string | undefined,
): Record<string, string> {
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

export function tlsEnv(plan: Plan, service: string): Record<string, string> {
  const files = plan.certificates.services[service]!;
  return {
    STRATA_TLS_CA_FILE: plan.certificates.caCertFile,
    STRATA_TLS_CERT_FILE: files.certFile,
    STRATA_TLS_KEY_FILE: files.keyFile,
  };
}

export function spec(
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
    args: [
      ...(extra.layer === 'data-service' ? DATA_SERVICE_V8_FLAGS : []),
      ...NODE_FLAGS,
      ...(extra.args ?? []),
      script,
    ],
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
