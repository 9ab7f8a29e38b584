import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProcessSupervisor, RunningProcess, ServiceSpec } from '@strata/runtime';
import {
  pointWebhooksAt,
  startPaymentSimulator,
  type RunningPaymentSimulator,
} from '../payment-simulator-process.ts';
import type { SeedOutcome } from '../seed/demo-data.ts';
import {
  appServiceEnv,
  allowedCallers,
  hostOf,
  linkRedirect,
  LINK_REDIRECT,
  NODE_FLAGS,
  PAYMENT_WEBHOOK_RECEIVER,
  root,
  spec,
  SWC,
  tlsEnv,
  TOKEN_ISSUER,
  type Plan,
} from './process-layout.ts';
import { seedThroughRpc } from './seed-through-rpc.ts';

export interface Started {
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
export async function startAll(
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
