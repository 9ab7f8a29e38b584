// npm run bench:redirect — one run, loopback only, bounded in time: requests/s and p50/p99 of the
// short domain's redirect (data-services/engagement-service/src/redirect-main.ts, one Node process,
// links from Redis behind its local copy, each visit counted and queued in Redis by one Lua script,
// shipped to Kafka meanwhile) against nginx `return 302` (one worker, no I/O: the ceiling on this
// machine), both measured by wrk (a separate process). Cache hits: every request is the same live
// link. It also counts the lookups engagement-service served during the measured run — the only
// way a redirect can reach a database (the redirect process opens none) — which must be zero.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDebianCommands, stackEndpoints } from '@strata/dev-stack';
import { createEngagementService } from '@strata/engagement-service';
import { KafkaEventBroker } from '@strata/events';
import { linksContract } from '@strata/links/contract';
import { createContractClient, inProcessInvoke, listenTcp, type RpcHandler } from '@strata/rpc';
import { newId, systemClock } from '@strata/shared-kernel';
import { Redis } from 'ioredis';
import { createConnection } from 'mysql2/promise';

const durationSeconds = Number(process.env.BENCH_REDIRECT_SECONDS ?? 8);
const connections = Number(process.env.BENCH_REDIRECT_CONNECTIONS ?? 32);
const TARGET = 'https://learn.example.org/courses/ddd-in-typescript';

await ensureDebianCommands('bench-redirect', [
  { command: 'wrk', debianPackage: 'wrk' },
  { command: 'nginx', debianPackage: 'nginx' },
]);

const children: ChildProcess[] = [];
const dir = await mkdtemp(join(tmpdir(), 'strata-bench-redirect-'));
const { kafkaBrokers, redisUrl, mysql } = stackEndpoints();
const run = `bench${randomBytes(5).toString('hex')}`;
const schemaService = `t_${run}`;
const redisPrefix = `strata-bench:${run}:`;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function start(
  command: string,
  args: string[],
  ready: RegExp,
  env: NodeJS.ProcessEnv,
): Promise<RegExpExecArray> {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = ready.exec(out);
      if (match) resolve(match);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${out}`)),
    );
  });
}

interface Figures {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: string;
}

function toMs(text: string): number {
  const match = /^([\d.]+)(us|ms|s)$/.exec(text);
  if (!match) throw new Error(`unreadable wrk latency ${text}`);
  const value = Number(match[1]);
  return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
}

function wrk(url: string, seconds: number): Figures {
  const result = spawnSync('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', url], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`wrk failed: ${result.stderr}`);
  const out = result.stdout;
  const non2xx3xx = /Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1];
  const socketErrors = /Socket errors: (.+)/.exec(out)?.[1];
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]),
    p50: toMs(/\s50%\s+(\S+)/.exec(out)![1]!),
    p99: toMs(/\s99%\s+(\S+)/.exec(out)![1]!),
    errors:
      [non2xx3xx ? `${non2xx3xx} not 2xx/3xx` : '', socketErrors ?? ''].filter(Boolean).join('; ') || 'none',
  };
}

async function firstAnswer(url: string): Promise<{ status: number; location: string | null }> {
  const response = await fetch(url, { redirect: 'manual' });
  return { status: response.status, location: response.headers.get('location') };
}

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
// Every call the redirect makes to engagement-service passes here: the count of lookups.
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

try {
  const links = createContractClient(linksContract, {
    service: 'engagement-service',
    invoke: inProcessInvoke(engagement.handler),
  });
  const link = await links.ShortLink.create(
    { targetUrl: TARGET },
    { caller: { userId: newId(), roles: ['learner'] } },
  );

  const [, redirectUrl] = await start(
    process.execPath,
    [
      '--disable-warning=TimeoutNegativeWarning',
      new URL('../../data-services/engagement-service/src/redirect-main.ts', import.meta.url).pathname,
    ],
    /serving short links on (http:\/\/[^\s"]+)/,
    {
      ...process.env,
      STRATA_REGISTRY: 'static',
      STRATA_ENGAGEMENT_ADDRESS: `127.0.0.1:${listener.address.port}`,
      STRATA_RPC_PLAINTEXT: '1',
      STRATA_REDIRECT_PORT: '0',
      STRATA_REDIRECT_INSTANCE: 'bench-1',
      STRATA_VISITOR_HASH_KEY: randomBytes(32).toString('hex'),
      STRATA_REDIS_KEY_PREFIX: redisPrefix,
      STRATA_EVENT_NAMESPACE: run,
      STRATA_DEPLOYMENT: run,
      // info: the ready line is an info line.
      STRATA_LOG_LEVEL: 'info',
    },
  );

  const nginxPort = await freePort();
  await writeFile(
    join(dir, 'nginx.conf'),
    `worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'nginx-error.log')} warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${nginxPort};
    location / { return 302 ${TARGET}; }
  }
}
`,
  );
  children.push(
    spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: 'inherit' }),
  );

  const ours = `${redirectUrl}/${link.slug}`;
  const peer = `http://127.0.0.1:${nginxPort}/${link.slug}`;
  for (let attempt = 0; ; attempt += 1) {
    const answer = await firstAnswer(peer).catch(() => undefined);
    if (answer?.status === 302) break;
    if (attempt > 50) throw new Error('nginx never answered 302');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // The first visit fills the cache (one lookup); the measured runs are cache hits.
  const first = await firstAnswer(ours);
  if (first.status !== 302 || first.location !== TARGET)
    throw new Error(`the redirect answered ${JSON.stringify(first)}`);
  wrk(ours, 2);
  wrk(peer, 2);

  const redis = new Redis(redisUrl);
  const countKey = `${redisPrefix}links:visits:${link.id}`;
  const lookupsBefore = lookups;
  const visitsBefore = Number((await redis.get(countKey)) ?? 0);
  const results: [string, Figures][] = [];
  // Alternated, twice each, so neither side always runs on a warmer or cooler machine.
  for (const round of [1, 2]) {
    results.push([`strata redirect (round ${round})`, wrk(ours, durationSeconds)]);
    results.push([`nginx return 302 (round ${round})`, wrk(peer, durationSeconds)]);
  }
  const lookupsDuring = lookups - lookupsBefore;
  const visitsCounted = Number((await redis.get(countKey)) ?? 0) - visitsBefore;
  await redis.quit();

  const best = (prefix: string) =>
    Math.max(...results.filter(([name]) => name.startsWith(prefix)).map(([, f]) => f.rps));
  console.log(
    `\nbench:redirect — ${durationSeconds}s per run, ${connections} connections, wrk -t1, loopback, one link (cache hits)`,
  );
  console.log(
    'target'.padEnd(32),
    'req/s'.padStart(10),
    'p50 ms'.padStart(8),
    'p99 ms'.padStart(8),
    '  errors',
  );
  for (const [name, figures] of results) {
    console.log(
      name.padEnd(32),
      figures.rps.toFixed(0).padStart(10),
      figures.p50.toFixed(2).padStart(8),
      figures.p99.toFixed(2).padStart(8),
      ` ${figures.errors}`,
    );
  }
  const ratio = best('strata') / best('nginx');
  console.log(
    `\nstrata redirect / nginx return 302 (best round each): ${(ratio * 100).toFixed(1)}% (goal ≥ 50%)`,
  );
  console.log(`visits counted in Redis during the measured runs: ${visitsCounted}`);
  console.log(
    `database lookups during the measured runs: ${lookupsDuring} (calls the redirect made to engagement-service; the redirect process has no database connection)`,
  );
} finally {
  for (const child of children) child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  await listener.drain(1_000).catch(() => undefined);
  await engagement.close();
  await broker.close();
  const connection = await createConnection({ ...mysql });
  await connection.query(`drop database if exists \`strata_${schemaService}\``).catch(() => undefined);
  await connection.end();
  const redis = new Redis(redisUrl);
  const keys = await redis.keys(`${redisPrefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
  await rm(dir, { recursive: true, force: true });
}
