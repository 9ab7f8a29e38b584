// What every part of `npm run bench:redirect` stands on: engagement-service in the bench's process
// (its own schema, topics and Redis prefix, dropped at the end) behind a plaintext RPC listener that
// counts the lookups reaching it, and redirect processes started as deployed (redirect-main.ts,
// engagement-service at a static address). run.ts (the throughput rows) and invalidation.ts (how
// soon a disable reaches every instance) both open one; close() removes everything the run made.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { stackEndpoints } from '@strata/dev-stack';
import { createEngagementService } from '@strata/engagement-service';
import { KafkaEventBroker } from '@strata/events';
import { kafkaClient } from '@strata/kafka';
import { linksContract } from '@strata/links/contract';
import {
  createContractClient,
  inProcessInvoke,
  listenTcp,
  type ContractClient,
  type RpcHandler,
} from '@strata/rpc';
import { systemClock } from '@strata/shared-kernel';
import { Redis } from 'ioredis';
import { createConnection } from 'mysql2/promise';
import { spawnUntilReady } from '../shared/ready-child.ts';
import { stopProcess } from '../shared/stop-process.ts';

// What a browser following a shared link sends: the redirect parses both on every visit (browser
// family, bot or not, referrer host), so the bench makes it do that work.
export const VISITOR_HEADERS = {
  'User-Agent':
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  Referer: 'https://news.example.com/2026/12/some-article?utm_source=feed',
};

export interface RedirectStage {
  /** The run's name: its event namespace, deployment and schema all derive from it. */
  readonly run: string;
  /** Every Redis key of the run starts with it. */
  readonly redisPrefix: string;
  readonly redisUrl: string;
  readonly kafkaBrokers: string[];
  /** engagement-service's links contract, called in-process: for setting a run up. */
  readonly links: ContractClient<typeof linksContract>;
  /** Where engagement-service takes RPC calls (plaintext), `127.0.0.1:<port>`. */
  readonly engagementAddress: string;
  /** The processes this run started; close() stops them. */
  readonly children: ChildProcess[];
  /** Calls that reached engagement-service over RPC so far: a redirect's lookups. */
  lookups(): number;
  /**
   * One redirect-main.ts process, as deployed; resolves with its pid and the URL it serves on.
   * `deployment` names its cache invalidation's consumer group (instances of one deployment share
   * it), `redisPrefix` its keys and channels (the stage's by default).
   */
  startRedirect(options: {
    instance: string;
    deployment?: string;
    redisPrefix?: string;
    nodeArgs?: readonly string[];
  }): Promise<{ pid: number; url: string }>;
  close(): Promise<void>;
}

export async function openRedirectStage(): Promise<RedirectStage> {
  const { kafkaBrokers, redisUrl, mysql } = stackEndpoints();
  const run = `bench${randomBytes(5).toString('hex')}`;
  const schemaService = `t_${run}`;
  const redisPrefix = `strata-bench:${run}:`;
  const children: ChildProcess[] = [];
  const visitorHashKey = randomBytes(32).toString('hex');

  const broker = new KafkaEventBroker({ brokers: kafkaBrokers, clientId: 'bench-redirect' });
  const engagement = await createEngagementService({
    database: { kind: 'mysql', service: schemaService, ...mysql, poolSize: 5, migrateOnStart: true },
    clock: systemClock,
    broker,
    eventNamespace: run,
    logger: {
      warn: () => undefined,
      info: () => undefined,
      error: () => undefined,
      debug: () => undefined,
    } as never,
    shortDomain: 'strata.link',
  });
  engagement.relay.start();
  // Every call a redirect makes to engagement-service passes here: the count of lookups.
  let lookups = 0;
  const counted: RpcHandler = (request, signal) => {
    lookups += 1;
    return engagement.handler(request, signal);
  };
  const listener = await listenTcp({
    handler: counted,
    host: '127.0.0.1',
    port: 0,
    tls: false,
    drainTimeoutMs: 1_000,
  });
  const engagementAddress = `127.0.0.1:${listener.address.port}`;

  return {
    run,
    redisPrefix,
    redisUrl,
    kafkaBrokers,
    links: createContractClient(linksContract, {
      service: 'engagement-service',
      invoke: inProcessInvoke(engagement.handler),
    }),
    engagementAddress,
    children,
    lookups: () => lookups,
    async startRedirect({ instance, deployment = run, redisPrefix: prefix = redisPrefix, nodeArgs = [] }) {
      const {
        pid,
        match: [, url],
      } = await spawnUntilReady(
        children,
        process.execPath,
        [
          ...nodeArgs,
          new URL('../../data-services/engagement-service/src/redirect-main.ts', import.meta.url).pathname,
        ],
        /serving short links on (http:\/\/[^\s"]+)/,
        {
          ...process.env,
          STRATA_REGISTRY: 'static',
          STRATA_ENGAGEMENT_ADDRESS: engagementAddress,
          STRATA_RPC_PLAINTEXT: '1',
          STRATA_REDIRECT_PORT: '0',
          STRATA_REDIRECT_INSTANCE: instance,
          STRATA_VISITOR_HASH_KEY: visitorHashKey,
          STRATA_REDIS_KEY_PREFIX: prefix,
          STRATA_EVENT_NAMESPACE: run,
          STRATA_DEPLOYMENT: deployment,
          // info: the ready line is an info line.
          STRATA_LOG_LEVEL: 'info',
        },
      );
      return { pid, url: url! };
    },
    async close() {
      // A redirect ships its last visits and leaves its consumer group before it exits; until then
      // its clients would create the run's topics again after they were deleted below.
      await Promise.all(children.map((child) => stopProcess(child, 20_000)));
      await listener.drain(1_000).catch(() => undefined);
      await engagement.close();
      await broker.close();
      const connection = await createConnection({ ...mysql });
      await connection.query(`drop database if exists \`strata_${schemaService}\``).catch(() => undefined);
      await connection.end();
      await dropRunTopics(kafkaBrokers, run).catch((error: unknown) =>
        console.warn(`the run's Kafka topics (strata.${run}.*) were not all deleted: ${String(error)}`),
      );
      const redis = new Redis(redisUrl);
      // A run leaves a key per group commit (kept ten minutes for a resent commit; ADR 0031), over a
      // hundred thousand of them: deleted as they are scanned, not spread into one call.
      for await (const keys of redis.scanStream({ match: `${redisPrefix}*`, count: 1_000 }) as AsyncIterable<
        string[]
      >) {
        if (keys.length > 0) await redis.unlink(...keys);
      }
      await redis.quit();
    },
  };
}

/**
 * The run's namespace gave it topics of its own (every context engagement-service consumes, the
 * visits', dead letters): deleted with the run, so repeated runs do not pile topics on the broker.
 */
async function dropRunTopics(kafkaBrokers: string[], run: string): Promise<void> {
  const admin = kafkaClient({ brokers: kafkaBrokers, clientId: 'bench-redirect-cleanup' }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(`strata.${run}.`));
    if (topics.length > 0) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}
