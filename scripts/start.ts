import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAccountApi, MemoryAccountStore } from '@strata/account-api';
import { MemoryCache } from '@strata/cache';
import { createCommerceService, orderTermsEnvShape, orderTermsOf } from '@strata/commerce-service';
import {
  createEngagementService,
  linksEnvShape,
  linksOptionsOf,
  startEmbeddedLinkRedirect,
} from '@strata/engagement-service';
import { InProcessEventBroker } from '@strata/events';
import { SimulatorPaymentProvider } from '@strata/payments';
import { buildDocsSite, createDocsHandler, loadPlatform } from '@strata/docs-tools';
import { Gateway, MemoryRateLimiter } from '@strata/gateway';
import { createIdentityService } from '@strata/identity-service';
import {
  createLearnerApi,
  inProcessCourseEvents,
  inProcessNotificationEvents,
  pushHeartbeatEnvShape,
} from '@strata/learner-api';
import { MemoryFanOut } from '@strata/push';
import { createLearningService } from '@strata/learning-service';
import { paymentWebhookEnvShape } from '@strata/payments';
import { InProcessRegistry, inProcessInvoke, type Registration } from '@strata/rpc';
import {
  createLogger,
  JwtAccessTokenVerifier,
  listenAdmin,
  loadProcessConfig,
  logLevel,
  meterHttpRoutes,
  meterRpcHandler,
  processMetrics,
  port,
  ProcessSupervisor,
  remoteJwks,
  ShutdownSequence,
} from '@strata/runtime';
import {
  hostInProcess,
  housekeepingEnvShape,
  housekeepingOf,
  meterJobQueue,
} from '@strata/runtime/data-service';
import { systemClock, z } from '@strata/shared-kernel';
import { createStudioApi, inProcessOrderingEvents, MemorySalesReadModel } from '@strata/studio-api';
import { demoBanner } from './demo-banner.ts';
import { pointWebhooksAt, startPaymentSimulator } from './payment-simulator-process.ts';
import { seedDemoData } from './seed/demo-data.ts';

/*
 * `npm start`: the whole platform in one process, needing nothing but Node. Every data service on
 * its SQLite file under .strata/ (their jobs too), the in-process event broker, in-memory cache,
 * limiter and registry, the three application services on loopback ports registered in that
 * registry, and the gateway in front with the real route file. The same factories run
 * distributed; only the adapters differ. The payment simulator, an outside system, is the one
 * other process.
 */

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const EnvSchema = z.object({
  STRATA_PORT: port.default(8080),
  STRATA_ADMIN_PORT: port.default(8081),
  /** The process's own admin port: `/health/live`, `/health/ready`, `/metrics` (every service in it). */
  STRATA_HEALTH_PORT: port.default(8082),
  STRATA_HOST: z.string().min(1).default('127.0.0.1'),
  STRATA_DATA_DIR: z.string().min(1).default(join(root, '.strata')),
  STRATA_LOG_LEVEL: logLevel.default('warn'),
  STRATA_PAYMENT_WEBHOOK_TOLERANCE_SECONDS: paymentWebhookEnvShape.STRATA_PAYMENT_WEBHOOK_TOLERANCE_SECONDS,
  ...housekeepingEnvShape,
  ...orderTermsEnvShape,
  ...linksEnvShape,
  /** The short domain (redirects of short links); 0 picks a free port. */
  STRATA_REDIRECT_PORT: port.default(8090),
  /** Live notifications' heartbeat, as learner-api distributed (20 s). */
  ...pushHeartbeatEnvShape,
});

/** Every application service is a NestJS app; the root package does not depend on NestJS itself. */
type HttpApp = Awaited<ReturnType<typeof createAccountApi>>;

/** What this process hosts; the banner names every service the topology plans beyond these. */
const hosted = new Set([
  'identity-service',
  'commerce-service',
  'learning-service',
  'engagement-service',
  'account-api',
  'studio-api',
  'learner-api',
]);

const ISSUER = 'strata-embedded';
/** How long the payment simulator may take to stop before it is killed; a bound, not a claim. */
const STOP_GRACE_MS = 10_000;
const AUDIENCE = 'strata';

async function main(): Promise<void> {
  const env = loadProcessConfig('the embedded platform (npm start)', EnvSchema, process.env);
  if (env === undefined) return;
  await mkdir(join(env.STRATA_DATA_DIR, 'logs'), { recursive: true });
  const logger = (service: string) => createLogger({ service, level: env.STRATA_LOG_LEVEL });

  // Closed in reverse order of opening: the gateway first, the databases last.
  const shutdown = new ShutdownSequence();
  const supervisor = new ProcessSupervisor({
    onLine: () => undefined,
    onUnexpectedExit: (name, exit, tail) =>
      console.error(
        `${name} exited unexpectedly (code ${exit.code}, signal ${exit.signal}); its last lines:\n${tail.join('\n')}`,
      ),
  });
  shutdown.add('payment simulator', async () => {
    const [stopped] = await supervisor.stop(STOP_GRACE_MS);
    if (stopped !== undefined && !stopped.clean)
      throw new Error(`the payment simulator did not stop cleanly (code ${stopped.code})`);
  });
  // The outside provider commerce-service will call (STRATA_PAYMENT_PROVIDER_URL when distributed)
  // and whose signed webhooks learner-api will verify (STRATA_PAYMENT_WEBHOOK_SECRET).
  const paymentSimulator = await startPaymentSimulator(supervisor, {
    root,
    logDir: join(env.STRATA_DATA_DIR, 'logs'),
    logLevel: env.STRATA_LOG_LEVEL,
    env: process.env,
  });
  const broker = new InProcessEventBroker();
  const registry = new InProcessRegistry();
  shutdown.add('registry', () => registry.close());
  const housekeeping = housekeepingOf(env);
  // One registry for the one process: every service's series, labelled with the service.
  const metrics = processMetrics();

  const identity = await createIdentityService({
    database: { kind: 'sqlite', file: join(env.STRATA_DATA_DIR, 'identity.sqlite') },
    clock: systemClock,
    broker,
    logger: logger('identity-service'),
    housekeeping,
    metrics,
  });
  shutdown.add('identity-service', await hostInProcess(identity, broker, metrics));
  const commerce = await createCommerceService({
    orderTerms: orderTermsOf(env),
    database: { kind: 'sqlite', file: join(env.STRATA_DATA_DIR, 'commerce.sqlite') },
    clock: systemClock,
    broker,
    logger: logger('commerce-service'),
    housekeeping,
    metrics,
    // The checkout asks the simulator started above for payments and refunds.
    paymentProvider: new SimulatorPaymentProvider({ baseUrl: paymentSimulator.url }),
  });
  shutdown.add('commerce-service', await hostInProcess(commerce, broker, metrics));
  // Fed by the catalog's and ordering's events; its certificates go back to ordering the same way.
  const learning = await createLearningService({
    database: { kind: 'sqlite', file: join(env.STRATA_DATA_DIR, 'learning.sqlite') },
    clock: systemClock,
    broker,
    logger: logger('learning-service'),
    housekeeping,
    metrics,
  });
  shutdown.add('learning-service', await hostInProcess(learning, broker, metrics));
  // Hosts links (notification joins it when built); its short domain is a plain node:http server.
  const engagement = await createEngagementService({
    ...linksOptionsOf(env),
    database: { kind: 'sqlite', file: join(env.STRATA_DATA_DIR, 'engagement.sqlite') },
    clock: systemClock,
    broker,
    logger: logger('engagement-service'),
    housekeeping,
    metrics,
  });
  shutdown.add('engagement-service', await hostInProcess(engagement, broker, metrics));
  const redirect = await startEmbeddedLinkRedirect({
    service: 'engagement-service',
    engagement: inProcessInvoke(engagement.handler),
    broker,
    host: env.STRATA_HOST,
    port: env.STRATA_REDIRECT_PORT,
    clock: systemClock,
    logger: logger('link-redirect'),
  });
  shutdown.add('link-redirect', () => redirect.stop());
  for (const service of [identity, commerce, learning, engagement])
    meterJobQueue(service.name, service.jobs, metrics);
  const toIdentity = inProcessInvoke(meterRpcHandler(identity.handler, metrics));
  const toCommerce = inProcessInvoke(meterRpcHandler(commerce.handler, metrics));
  const toLearning = inProcessInvoke(meterRpcHandler(learning.handler, metrics));
  const toEngagement = inProcessInvoke(meterRpcHandler(engagement.handler, metrics));
  // Short links lead to pages under the gateway's address, known once it listens (STRATA_PORT may be 0).
  const listening: { gatewayUrl?: string } = {};
  const links = {
    publicApiUrl: () => {
      if (listening.gatewayUrl === undefined) throw new Error('the gateway is not listening yet');
      return listening.gatewayUrl;
    },
    shortLinkUrl: redirect.url,
  };

  const host = async (service: string, app: HttpApp): Promise<string> => {
    meterHttpRoutes(app, service, metrics);
    await app.listen({ port: 0, host: '127.0.0.1' });
    shutdown.add(service, () => app.close());
    const address = app.getHttpServer().address();
    if (address === null || typeof address === 'string')
      throw new Error(`${service} is not listening on TCP`);
    const registration: Registration = await registry.register({
      id: `${service}-embedded`,
      service,
      host: '127.0.0.1',
      port: address.port,
    });
    shutdown.add(`${service} registration`, () => registration.deregister());
    return `http://127.0.0.1:${address.port}`;
  };

  const accountUrl = await host(
    'account-api',
    await createAccountApi({
      identity: toIdentity,
      store: new MemoryAccountStore(),
      logger: logger('account-api'),
      issuer: ISSUER,
      audience: AUDIENCE,
    }),
  );
  const jwksUrl = `${accountUrl}/.well-known/jwks.json`;
  const accessTokens = () =>
    new JwtAccessTokenVerifier({ keys: remoteJwks(jwksUrl), issuer: ISSUER, audience: AUDIENCE });
  await host(
    'studio-api',
    await createStudioApi({
      commerce: toCommerce,
      learning: toLearning,
      engagement: toEngagement,
      links,
      accessTokens: accessTokens(),
      // In memory: it starts empty with the process (the in-process broker keeps no history to replay).
      sales: new MemorySalesReadModel(),
      orderingEvents: inProcessOrderingEvents(broker),
      logger: logger('studio-api'),
    }),
  );
  await host(
    'learner-api',
    await createLearnerApi({
      commerce: toCommerce,
      learning: toLearning,
      engagement: toEngagement,
      links,
      accessTokens: accessTokens(),
      // The secret made for this run, which the simulator signs every webhook with.
      paymentWebhook: {
        secret: paymentSimulator.webhookSecret,
        toleranceSeconds: env.STRATA_PAYMENT_WEBHOOK_TOLERANCE_SECONDS,
      },
      cache: new MemoryCache({ maxEntries: 10_000 }),
      events: inProcessCourseEvents(broker),
      // One process: live notifications go from the in-process broker straight to its one hub.
      push: {
        fanOut: new MemoryFanOut(),
        events: inProcessNotificationEvents(broker),
        heartbeatMs: env.STRATA_PUSH_HEARTBEAT_SECONDS * 1000,
      },
      logger: logger('learner-api'),
    }),
  );

  // Relays start once every consumer is subscribed, so no event is published into the void.
  identity.relay.start();
  commerce.relay.start();
  learning.relay.start();
  engagement.relay.start();

  const seed = await seedDemoData({ identity: toIdentity, commerce: toCommerce });

  // A fresh admin secret each start, readable by the operator who started it (as distributed).
  const adminToken = randomBytes(24).toString('hex');
  const adminTokenFile = join(env.STRATA_DATA_DIR, 'gateway-admin-token');
  await writeFile(adminTokenFile, `${adminToken}\n`, { mode: 0o600 });
  const gateway = new Gateway({
    registry,
    routesPath: join(root, 'infra/gateway/routes.json'),
    rateLimiter: new MemoryRateLimiter(),
    adminToken,
    auth: {
      jwksUrl,
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['EdDSA'],
      jwksCooldownMs: 30_000,
      clockToleranceSeconds: 5,
    },
    host: env.STRATA_HOST,
    port: env.STRATA_PORT,
    adminHost: '127.0.0.1',
    adminPort: env.STRATA_ADMIN_PORT,
    watchRoutes: false,
    logger: logger('gateway'),
    metrics,
    jobQueues: {
      'identity-service': identity.jobs,
      'commerce-service': commerce.jobs,
      'learning-service': learning.jobs,
      'engagement-service': engagement.jobs,
    },
    localMounts: [
      // The HTML docs are built, not committed: built here from the code as it is now.
      {
        prefix: '/docs',
        handler: createDocsHandler({ dir: await buildDocsSite(await loadPlatform(root)), basePath: '/docs' }),
      },
    ],
  });
  const { url, adminUrl } = await gateway.start();
  listening.gatewayUrl = url;
  shutdown.add('gateway', () => gateway.stop());
  const admin = await listenAdmin({
    host: '127.0.0.1',
    port: env.STRATA_HEALTH_PORT,
    service: 'strata',
    metrics,
  });
  shutdown.add('admin port', () => admin.close());
  // The provider learns where to deliver only now that the gateway's address is known (port 0 too).
  const webhookUrl = await pointWebhooksAt(paymentSimulator, url);

  console.log(
    [
      `Strata is up (embedded: one process, SQLite in ${env.STRATA_DATA_DIR}, no MariaDB/Redis/Kafka/etcd).`,
      `Gateway: ${url}`,
      ...demoBanner(url, seed, hosted),
      `Short links: ${redirect.url}/<slug> (the short domain: 302 to the target, 404 unknown, 410 disabled, expired or used up)`,
      `Payment simulator: ${paymentSimulator.url} (its own process; pay or decline on its payment pages; webhooks to ${webhookUrl})`,
      `Gateway admin API: ${adminUrl} (GET /jobs shows the job queues; bearer token in ${relative(process.cwd(), adminTokenFile)})`,
      `Metrics and health: http://127.0.0.1:${admin.port}/metrics, /health/live, /health/ready`,
      'Ctrl-C stops it.',
    ].join('\n'),
  );

  const stop = async (signal: string): Promise<void> => {
    console.log(`${signal} received: stopping the gateway, the application services, then the data services`);
    try {
      await shutdown.stop();
      console.log('Strata stopped cleanly');
    } catch (error) {
      console.error('Strata did not stop cleanly:', error);
      process.exitCode = 1;
    }
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if ((error as { code?: unknown }).code === 'EADDRINUSE') {
    console.error(
      `npm start failed: ${(error as Error).message}. Another Strata (or other program) holds the port;` +
        ' stop it, or choose free ports with STRATA_PORT and STRATA_ADMIN_PORT (0 picks any).',
    );
  } else {
    console.error('npm start failed:', error);
  }
  process.exit(1);
});
