import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { linksContract } from '@strata/links/contract';
import { observe, type Observing } from '@strata/observe';
import { createContractClient, EtcdRegistry } from '@strata/rpc';
import { connectDataService, ProcessSupervisor, type DataServiceConnection } from '@strata/runtime';
import { call } from '@strata/runtime/test-support';
import { newId } from '@strata/shared-kernel';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';

/*
 * Five real processes of one deployment — two data services (identity, engagement), an application
 * service (account-api), the short domain (link-redirect) and a gateway — found by a real
 * Prometheus through etcd. identity-service reaches MariaDB through a proxy the test can cut.
 */

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const deployment = `obs${randomBytes(3).toString('hex')}`;
const servicesPrefix = `/strata/${deployment}/services`;
const ETCD = ['http://127.0.0.1:2379'];

/** A TCP proxy to MariaDB that can be cut (every connection dropped, the port refused) and restored. */
class CuttableProxy {
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;
  port = 0;

  async open(): Promise<void> {
    const server = (this.#server = createServer((client) => {
      const upstream = connect(3306, '127.0.0.1');
      for (const socket of [client, upstream]) {
        this.#sockets.add(socket);
        socket.once('close', () => this.#sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    }));
    await new Promise<void>((done) => server.listen(this.port, '127.0.0.1', done));
    this.port = (server.address() as { port: number }).port;
  }

  async cut(): Promise<void> {
    const server = this.#server!;
    const closed = new Promise((done) => server.close(done));
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }
}

interface Process {
  admin: string;
  /** The public (HTTP) or RPC address. */
  address: string;
}

async function metricsText(admin: string): Promise<string> {
  const response = await fetch(`${admin}/metrics`);
  expect(response.status).toBe(200);
  return response.text();
}

/** The families a /metrics text declares. */
function families(text: string): string[] {
  return [...text.matchAll(/^# TYPE (\S+) /gm)].map((match) => match[1]!);
}

const UNTIL_TIMEOUT_MS = 45_000;
/** A test waits for a few `until`s in a row: long enough that the slow one reports what it waited for. */
const STEPS_TIMEOUT_MS = 3 * UNTIL_TIMEOUT_MS;

/** Probes until it answers (a process still starting may refuse: that is "not yet"), or fails naming the last answer or error. */
function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = UNTIL_TIMEOUT_MS,
): Promise<T> {
  return waitFor(what, probe, { timeoutMs, everyMs: 250, retryErrors: true });
}

describe('metrics, readiness and a real Prometheus over real processes', () => {
  const proxy = new CuttableProxy();
  const supervisor = new ProcessSupervisor({ onLine: () => {}, onUnexpectedExit: () => {} });
  const processes: Record<string, Process> = {};
  let dir: string;
  let observing: Observing;
  let engagement: DataServiceConnection;
  let gatewayAdmin: { url: string; token: string };

  const base = {
    ...(process.env as Record<string, string>),
    STRATA_LOG_LEVEL: 'info',
    STRATA_REGISTRY: 'etcd',
    STRATA_ETCD_HOSTS: ETCD.join(','),
    STRATA_ETCD_PREFIX: servicesPrefix,
    STRATA_ETCD_LEASE_TTL_SECONDS: '2',
    STRATA_RPC_PLAINTEXT: '1',
    STRATA_HEALTH_PORT: '0',
    STRATA_READINESS_INTERVAL_MS: '300',
    STRATA_EVENT_NAMESPACE: deployment,
    STRATA_DEPLOYMENT: deployment,
    STRATA_SUPERVISED: '1',
  };
  const start = async (
    name: string,
    script: string,
    env: Record<string, string>,
    ready: RegExp,
    layer: 'data-service' | 'application' | 'gateway',
    swc = false,
  ): Promise<RegExpExecArray> => {
    const running = await supervisor.start({
      name,
      command: process.execPath,
      args: [...(swc ? ['--import', '@strata/runtime/typescript'] : []), join(root, script)],
      cwd: root,
      env: { ...base, ...env },
      logFile: join(dir, `${name}.log`),
      ready,
      readyTimeoutMs: 90_000,
      // As start:distributed stops them: a layer's processes together, not one after another.
      layer,
    });
    return running.ready;
  };
  const dataService = async (service: string, env: Record<string, string> = {}) => {
    const ready = await start(
      service,
      `data-services/${service}/src/main.ts`,
      { STRATA_MIGRATE: '1', STRATA_DATABASE_SERVICE: `${deployment}_${service.split('-')[0]}`, ...env },
      /"adminUrl":"([^"]+)".*serving on ([^\s:]+:\d+)/,
      'data-service',
    );
    processes[service] = { admin: ready[1]!, address: ready[2]! };
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-observe-'));
    await proxy.open();
    await Promise.all([
      dataService('identity-service', { STRATA_MYSQL_PORT: String(proxy.port) }),
      dataService('engagement-service'),
    ]);
    // link-redirect needs no account-api: both start at once.
    const [account, redirect] = await Promise.all([
      start(
        'account-api',
        'application-services/account-api/src/main.ts',
        { STRATA_HTTP_PORT: '0', STRATA_REDIS_KEY_PREFIX: `strata:${deployment}:account-api:` },
        /"adminUrl":"([^"]+)".*account-api listening on (http:\/\/[^\s,]+)/,
        'application',
        true,
      ),
      start(
        'link-redirect',
        'data-services/engagement-service/src/redirect-main.ts',
        {
          STRATA_REDIRECT_PORT: '0',
          STRATA_REDIRECT_INSTANCE: 'redirect-1',
          STRATA_VISITOR_HASH_KEY: randomBytes(32).toString('hex'),
          STRATA_REDIS_KEY_PREFIX: `strata:${deployment}:`,
        },
        /"adminUrl":"([^"]+)","msg":"link-redirect serving short links on ([^"\s]+)"/,
        'application',
      ),
    ]);
    processes['account-api'] = { admin: account[1]!, address: account[2]! };
    processes['link-redirect'] = { admin: redirect[1]!, address: redirect[2]! };
    const token = randomBytes(24).toString('hex');
    const tokenFile = join(dir, 'gateway-admin-token');
    await writeFile(tokenFile, `${token}\n`);
    const gateway = await start(
      'gateway',
      'infra/gateway/src/main.ts',
      {
        STRATA_GATEWAY_PORT: '0',
        STRATA_GATEWAY_ADMIN_PORT: '0',
        STRATA_GATEWAY_ADMIN_TOKEN: token,
        STRATA_GATEWAY_ETCD_PREFIX: servicesPrefix,
        STRATA_GATEWAY_JWKS_URL: `${account[2]}/.well-known/jwks.json`,
        STRATA_GATEWAY_JWT_ALGORITHMS: 'EdDSA',
        STRATA_GATEWAY_RATE_LIMIT_STORE: 'memory',
        STRATA_GATEWAY_HEALTH_INTERVAL_MS: '300',
      },
      /"ready":true,"url":"([^"]+)","adminUrl":"([^"]+)"/,
      'gateway',
    );
    processes['gateway'] = { admin: gateway[2]!, address: gateway[1]! };
    gatewayAdmin = { url: gateway[2]!, token };
    engagement = await connectDataService({
      service: 'engagement-service',
      contracts: [linksContract],
      env: {
        STRATA_REGISTRY: 'etcd',
        STRATA_ETCD_HOSTS: ETCD,
        STRATA_ETCD_PREFIX: servicesPrefix,
        STRATA_RPC_PLAINTEXT: true,
      },
      logger: { warn: () => {} },
    });
    observing = await observe({
      etcdHosts: ETCD,
      servicesPrefix,
      dir: join(dir, 'prometheus'),
      port: 0,
      scrapeInterval: '1s',
      gatewayTokenFile: tokenFile,
    });
  }, 240_000);

  afterAll(async () => {
    await observing?.stop();
    await engagement?.close();
    await supervisor.stop(20_000);
    await proxy.cut().catch(() => {});
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  }, 60_000);

  /** An instant query's samples: labels and value. */
  const query = async (promql: string): Promise<{ metric: Record<string, string>; value: number }[]> => {
    const response = await fetch(
      `${observing.prometheus.url}/api/v1/query?query=${encodeURIComponent(promql)}`,
    );
    const body = (await response.json()) as {
      data: { result: { metric: Record<string, string>; value: [number, string] }[] };
    };
    return body.data.result.map((sample) => ({ metric: sample.metric, value: Number(sample.value[1]) }));
  };
  /** The single value of a query that sums to one sample; undefined while there is none. */
  const valueOf = async (promql: string): Promise<number | undefined> => (await query(promql))[0]?.value;

  it('serves /metrics on every process kind’s admin port with its families, and never on the public port', async () => {
    const dataFamilies = [
      'process_cpu_seconds_total',
      'nodejs_eventloop_lag_seconds',
      'strata_rpc_server_duration_seconds',
      'strata_outbox_unsent_events',
      'strata_outbox_oldest_unsent_age_seconds',
      'strata_db_pool_connections',
      'strata_job_queue_jobs',
    ];
    expect(families(await metricsText(processes['identity-service']!.admin))).toEqual(
      expect.arrayContaining(dataFamilies),
    );
    expect(families(await metricsText(processes['engagement-service']!.admin))).toEqual(
      expect.arrayContaining([...dataFamilies, 'strata_events_consumed_total', 'strata_kafka_consumer_lag']),
    );
    expect(families(await metricsText(processes['account-api']!.admin))).toEqual(
      expect.arrayContaining([
        'process_cpu_seconds_total',
        'nodejs_eventloop_lag_seconds',
        'strata_http_server_request_duration_seconds',
        'strata_rpc_client_instances',
        'strata_rpc_client_pending',
      ]),
    );
    expect(families(await metricsText(processes['link-redirect']!.admin))).toEqual(
      expect.arrayContaining(['process_cpu_seconds_total', 'strata_rpc_client_instances']),
    );
    // The public ports: the application service's API, the short domain and the gateway answer 404.
    for (const name of ['account-api', 'link-redirect', 'gateway']) {
      const response = await fetch(`${processes[name]!.address}/metrics`);
      expect({ name, status: response.status }).toEqual({ name, status: 404 });
    }
    // A data service's public port speaks msgpack frames, not HTTP.
    await expect(fetch(`http://${processes['identity-service']!.address}/metrics`)).rejects.toThrow();
    // Liveness and readiness are apart.
    const live = await fetch(`${processes['identity-service']!.admin}/health/live`);
    const ready = await call(processes['identity-service']!.admin, 'GET', '/health/ready');
    expect(live.status).toBe(200);
    expect(ready).toMatchObject({
      status: 200,
      body: { status: 'ready', checks: { database: 'ok', kafka: 'ok' } },
    });
  });

  it(
    'has Prometheus scrape every process found in etcd, and its request and event series move',
    async () => {
      const targets = await until('every target up', async () => {
        const response = await fetch(`${observing.prometheus.url}/api/v1/targets`);
        const body = (await response.json()) as {
          data: { activeTargets: { labels: Record<string, string>; health: string }[] };
        };
        const active = body.data.activeTargets;
        return active.length === 5 && active.every((target) => target.health === 'up') ? active : undefined;
      });
      expect(targets.map((target) => target.labels['service']).sort()).toEqual([
        'account-api',
        'engagement-service',
        'gateway',
        'identity-service',
        'link-redirect',
      ]);

      // A registration through the gateway (gateway → account-api → identity-service over RPC), a
      // link created on engagement-service and visited on the short domain (its visit an event the
      // engagement-service consumes).
      const registered = await call(processes['gateway']!.address, 'POST', '/api/account/auth/register', {
        body: {
          email: `${newId()}@example.org`,
          password: 'correct horse battery',
          displayName: 'Ada',
          registerAs: 'learner',
        },
      });
      expect(registered.status).toBe(201);
      const links = createContractClient(linksContract, {
        service: 'engagement-service',
        invoke: engagement.invoke,
      });
      const link = await links.ShortLink.create(
        { targetUrl: 'https://learn.example.org/courses/observed' },
        { caller: { userId: newId(), roles: ['learner'] } },
      );
      const visit = await fetch(`${processes['link-redirect']!.address}/${link.slug}`, {
        redirect: 'manual',
      });
      expect(visit.status).toBe(302);

      await until('the gateway, application-service and RPC request series', async () => {
        const gateway = await valueOf('sum(strata_gateway_requests_total{route="account",status="201"})');
        const http = await valueOf(
          'sum(strata_http_server_request_duration_seconds_count{service="account-api",route="/auth/register",status="201"})',
        );
        const rpc = await valueOf(
          'sum(strata_rpc_server_duration_seconds_count{service="identity-service",method="User.register",code="OK"})',
        );
        return gateway === 1 && http === 1 && rpc === 1 ? true : undefined;
      });
      // The lag of the group reading the links topic, read from the broker per partition. Named by
      // its topic, not by the first group seen handling something: engagement-service runs a second
      // group (notification), which handles the registration's event and may be scraped before the
      // visit is handled.
      const lag = await until(
        'the consumer lag series of the links topic on engagement-service',
        async () => {
          const samples = await query(
            'strata_kafka_consumer_lag{service="engagement-service",topic=~".+[.]links[.]events"}',
          );
          return samples.length > 0 ? samples : undefined;
        },
      );
      const groups = new Set(lag.map((sample) => sample.metric['group']));
      expect(groups.size).toBe(1);
      expect(lag.every((sample) => sample.value >= 0)).toBe(true);
      await until('the visit handled by that group', async () => {
        const handled = await valueOf(
          `strata_events_consumed_total{service="engagement-service",group="${[...groups][0]}",outcome="handled"}`,
        );
        return handled !== undefined && handled > 0 ? true : undefined;
      });
    },
    STEPS_TIMEOUT_MS,
  );

  it(
    'takes an instance whose database is unreachable out of the registry, and puts it back',
    async () => {
      const registry = new EtcdRegistry({ hosts: ETCD, prefix: servicesPrefix, leaseTtlSeconds: 2 });
      try {
        expect(await registry.instances('identity-service')).toHaveLength(1);
        await proxy.cut();
        const unready = await until('identity-service unready', async () => {
          const answer = await call(processes['identity-service']!.admin, 'GET', '/health/ready');
          return answer.status === 503 ? answer.body : undefined;
        });
        expect(unready).toMatchObject({ status: 'unready', checks: { kafka: 'ok' } });
        expect(unready.checks.database).not.toBe('ok');
        // Still alive: restarting it would not bring the database back.
        expect((await fetch(`${processes['identity-service']!.admin}/health/live`)).status).toBe(200);
        await until('identity-service gone from etcd', async () =>
          (await registry.instances('identity-service')).length === 0 ? true : undefined,
        );
        // Its callers stop sending work: account-api has no identity instance left, so it is unready,
        // and the gateway ejects it.
        await until('account-api unready', async () =>
          (await fetch(`${processes['account-api']!.admin}/health/ready`)).status === 503 ? true : undefined,
        );
        await until('the gateway ejecting account-api', async () => {
          const upstreams = await call(gatewayAdmin.url, 'GET', '/upstreams', { token: gatewayAdmin.token });
          const views = upstreams.body['account-api'] as { healthy: boolean }[];
          return views.length === 1 && !views[0]!.healthy ? true : undefined;
        });
        // Still scraped while unready, which is when its figures matter: the failing check among them.
        await until('Prometheus seeing the failing database check', async () =>
          (await valueOf('strata_readiness_check{service="identity-service",check="database"}')) === 0
            ? true
            : undefined,
        );
        expect(await valueOf('up{service="identity-service"}')).toBe(1);

        await proxy.open();
        await until('identity-service back in etcd', async () =>
          (await registry.instances('identity-service')).length === 1 ? true : undefined,
        );
        await until('account-api ready again', async () =>
          (await fetch(`${processes['account-api']!.admin}/health/ready`)).status === 200 ? true : undefined,
        );
      } finally {
        await registry.close();
      }
    },
    STEPS_TIMEOUT_MS,
  );
});
