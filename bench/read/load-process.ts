// One closed-loop load run in a process of its own (so its CPU is not the measured processes'),
// for the hops wrk cannot speak to: commerce-service over RPC, the SQL query alone, Redis alone.
// argv[2] is a JSON LoadRequest; the last line printed is a JSON LoadResult. Any failed or wrong
// answer fails the run (exit 1): no number is printed for it.
import { readFileSync } from 'node:fs';
import { catalogContract } from '@strata/catalog/contract';
import {
  ClusterInvoker,
  connectTcp,
  createContractClient,
  EtcdRegistry,
  invokerPolicyFor,
  readTlsMaterial,
  RedialingConnection,
  type ServiceInstance,
} from '@strata/rpc';
import { Redis } from 'ioredis';
import { createPool } from 'mysql2/promise';

export interface LoadRequest {
  mode: 'rpc' | 'sql' | 'redis';
  concurrency: number;
  warmupSeconds: number;
  seconds: number;
  /** A JSON file holding the course ids to read, picked at random. */
  idsFile: string;
  etcd?: { hosts: string[]; prefix: string };
  tls?: { caFile: string; certFile: string; keyFile: string; caller: string };
  mysql?: { host: string; port: number; user: string; password: string; database: string };
  /** `key` holds `%s` where the course id goes. */
  redis?: { url: string; key: string };
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
}

const request = JSON.parse(process.argv[2]!) as LoadRequest;
const ids = JSON.parse(readFileSync(request.idsFile, 'utf8')) as string[];
const pick = () => ids[Math.floor(Math.random() * ids.length)]!;

async function operation(): Promise<{ call: (id: string) => Promise<void>; close: () => Promise<void> }> {
  if (request.mode === 'rpc') {
    const { etcd, tls } = request;
    const material = await readTlsMaterial(tls!);
    const registry = new EtcdRegistry({
      hosts: etcd!.hosts,
      prefix: etcd!.prefix,
      logger: { warn: () => undefined } as never,
    });
    // The contract's call policy, as learner-api runs it, but for its client-side rate limit (1,000
    // calls/s a client process): raised out of reach as bench:read raises learner-api's (ADR 0051),
    // the limiter kept, so this row measures what commerce-service can serve and every call still
    // pays for the limiter, as learner-api's do.
    const invoker = new ClusterInvoker({
      ...invokerPolicyFor('commerce-service', [catalogContract]),
      rateLimit: { services: { 'commerce-service': { ratePerSecond: 1_000_000_000, burst: 1_000_000 } } },
      registry,
      connect: (instance: ServiceInstance) =>
        new RedialingConnection(
          () =>
            connectTcp({
              host: instance.host,
              port: instance.port,
              tls: { ...material, serverService: instance.service },
            }),
          `${instance.service} ${instance.id}`,
        ),
    });
    const catalog = createContractClient(catalogContract, {
      service: 'commerce-service',
      invoke: (call, options) => invoker.invoke(call, options),
    });
    return {
      async call(id) {
        const course = await catalog.Course.get(id, { caller: { service: tls!.caller } });
        if (course.id !== id || course.status !== 'published') throw new Error(`wrong course for ${id}`);
      },
      async close() {
        await invoker.close();
        await registry.close();
      },
    };
  }
  if (request.mode === 'sql') {
    const { database, ...endpoint } = request.mysql!;
    // The statement shape commerce-service's load sends (ADR 0050: the record's columns by id, as a
    // server-side prepared statement, infra/persistence's prepared-statement-pool.ts), on a pool of
    // 10 like its own.
    const pool = createPool({ ...endpoint, database, connectionLimit: 10 });
    return {
      async call(id) {
        const [rows] = await pool.execute('select * from `courses` where `id` = ?', [id]);
        if ((rows as { id: string }[])[0]?.id !== id) throw new Error(`no row for ${id}`);
      },
      close: () => pool.end(),
    };
  }
  const redis = new Redis(request.redis!.url);
  return {
    async call(id) {
      const value = await redis.get(request.redis!.key.replace('%s', id));
      if (value === null) throw new Error(`no cached value for ${id}`);
    },
    close: async () => {
      await redis.quit();
    },
  };
}

const { call, close } = await operation();
async function runFor(seconds: number, record: number[] | undefined): Promise<number> {
  const end = performance.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: request.concurrency }, async () => {
      while (performance.now() < end) {
        const started = performance.now();
        await call(pick());
        record?.push(performance.now() - started);
        done += 1;
      }
    }),
  );
  return done;
}
try {
  await runFor(request.warmupSeconds, undefined);
  const latencies: number[] = [];
  const started = performance.now();
  const requests = await runFor(request.seconds, latencies);
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const rank = (q: number) => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)]!;
  const result: LoadResult = { requests, rps: requests / elapsed, p50: rank(0.5), p99: rank(0.99) };
  console.log(JSON.stringify(result));
} finally {
  await close();
}
