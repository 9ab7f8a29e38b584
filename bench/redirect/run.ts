// npm run bench:redirect — one run, loopback only, bounded in time: requests/s and p50/p99 of the
// short domain's redirect (data-services/engagement-service/src/redirect-main.ts, one Node process:
// links from its local copy, visits counted and queued in Redis in group commits, shipped to Kafka
// by its own second thread; ADR 0026) against nginx `return 302` (one worker, no I/O: the ceiling
// on this machine) and against node:http answering 302 and doing nothing else (what Node's HTTP
// costs alone), all measured by wrk (a separate process) sending a browser's User-Agent and
// Referer, which the redirect parses. Cache hits: every request is the same live link, without a
// cap and, in its own row, with one (a capped link's answer waits for Redis). It also counts the
// lookups engagement-service served during the measured run — the only way a redirect can reach a
// database (the redirect process opens none) — which must be zero, and how far the shipping of
// visits to Kafka trailed the redirects. Then, on two instances of their own, how soon a disable
// stops a link's redirects on both (invalidation.ts).
// BENCH_REDIRECT_SECONDS (8), BENCH_REDIRECT_ROUNDS (3), BENCH_REDIRECT_CONNECTIONS (32),
// BENCH_REDIRECT_WARMUP_SECONDS (3 per target, before any is measured),
// BENCH_REDIRECT_INVALIDATIONS (20 links per variant; 0 skips that phase).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDebianCommands } from '@strata/dev-stack';
import { newId } from '@strata/shared-kernel';
import { Redis } from 'ioredis';
import { median } from '../shared/median.ts';
import { cpuReader, serverPids } from '../shared/process-cpu.ts';
import { spawnUntilReady } from '../shared/ready-child.ts';
import { failuresOf, runWrk } from '../shared/wrk.ts';
import { commandsLine, commandStatsOf, commandsPerRequest, type CommandStats } from './command-stats.ts';
import { measureInvalidation } from './invalidation.ts';
import { openRedirectStage, VISITOR_HEADERS } from './stage.ts';
import { ThreadCensus } from './thread-census.ts';
import { nginxWorker, startNginx } from '../shared/nginx.ts';

const durationSeconds = Number(process.env.BENCH_REDIRECT_SECONDS ?? 8);
const rounds = Number(process.env.BENCH_REDIRECT_ROUNDS ?? 3);
const connections = Number(process.env.BENCH_REDIRECT_CONNECTIONS ?? 32);
const warmupSeconds = Number(process.env.BENCH_REDIRECT_WARMUP_SECONDS ?? 3);
const TARGET = 'https://learn.example.org/courses/ddd-in-typescript';

await ensureDebianCommands('bench-redirect', [
  { command: 'wrk', debianPackage: 'wrk' },
  { command: 'nginx', debianPackage: 'nginx' },
]);

const dir = await mkdtemp(join(tmpdir(), 'strata-bench-redirect-'));

interface Figures {
  readonly requests: number;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: string;
}

/** CPU µs per request answered: the server's own, and the Redis server's and Kafka broker's meanwhile. */
interface CpuPerRequest {
  readonly server: number | undefined;
  readonly redis: number | undefined;
  readonly kafka: number | undefined;
  /** Redis' commands per request meanwhile, per command type (anyone else's count too). */
  readonly commands: CommandStats;
}

function wrk(url: string, seconds: number): Figures {
  const run = runWrk({ url, headers: VISITOR_HEADERS, seconds, connections });
  return {
    requests: run.requests,
    rps: run.rps,
    p50: run.p50,
    p99: run.p99,
    errors: failuresOf(run, 'not 2xx/3xx'),
  };
}

async function firstAnswer(url: string): Promise<{ status: number; location: string | null }> {
  const response = await fetch(url, { redirect: 'manual' });
  return { status: response.status, location: response.headers.get('location') };
}

const stage = await openRedirectStage();
const { redisUrl, redisPrefix, children } = stage;

try {
  const { links } = stage;
  const link = await links.ShortLink.create(
    { targetUrl: TARGET },
    { caller: { userId: newId(), roles: ['learner'] } },
  );
  // A capped link answers only once Redis granted the visit (the exact cap): its own row.
  const capped = await links.ShortLink.create(
    { targetUrl: TARGET, maxVisits: 1_000_000_000 },
    { caller: { userId: newId(), roles: ['instructor'] } },
  );

  // Each of the redirect's threads counts its collections and CPU (gc-census.ts).
  const census = new ThreadCensus(join(dir, 'gc'));
  Object.assign(process.env, census.env());
  const { pid: redirectPid, url: redirectUrl } = await stage.startRedirect({
    instance: 'bench-1',
    nodeArgs: [
      ...census.nodeArgs(),
      // BENCH_REDIRECT_CPU_PROF=<dir>: the redirect process writes a V8 CPU profile there at exit.
      ...(process.env.BENCH_REDIRECT_CPU_PROF === undefined
        ? []
        : ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_REDIRECT_CPU_PROF}`]),
    ],
  });
  for (const name of Object.keys(census.env())) delete process.env[name];
  census.watch(redirectPid);

  const { port: nginxPort, master: nginx } = await startNginx(dir, children, `return 302 ${TARGET};`);

  // The reference servers beside nginx: each prints where it listens once it does.
  const reference = async (script: string, args: readonly string[], ready: RegExp, profiled = false) => {
    const { pid, match } = await spawnUntilReady(
      children,
      process.execPath,
      [
        // BENCH_REDIRECT_CPU_PROF=<dir>: the floor too, in <dir>/floor, to compare with ours.
        ...(profiled && process.env.BENCH_REDIRECT_CPU_PROF !== undefined
          ? ['--cpu-prof', `--cpu-prof-dir=${join(process.env.BENCH_REDIRECT_CPU_PROF, 'floor')}`]
          : []),
        new URL(script, import.meta.url).pathname,
        ...args,
      ],
      ready,
    );
    return { pid, url: match[1]! };
  };
  const { pid: barePid, url: bareUrl } = await reference(
    'node-return-302.ts',
    [TARGET],
    /node return 302 on (http:\/\/[^\s"]+)/,
  );
  // The floor: a canned 302 on node:net answered after ONE Redis command per turn kept that turn's
  // visits (count and queue), nothing else — the most any redirect keeping its visits can reach here.
  const { pid: floorPid, url: floorUrl } = await reference(
    'floor-server.ts',
    [TARGET, redisUrl, redisPrefix],
    /redirect floor on (http:\/\/[^\s"]+)/,
    true,
  );

  const ours = `${redirectUrl}/${link.slug}`;
  const oursCapped = `${redirectUrl}/${capped.slug}`;
  const peer = `http://127.0.0.1:${nginxPort}/${link.slug}`;
  const bare = `${bareUrl}/${link.slug}`;
  const floor = `${floorUrl}/${link.slug}`;
  for (let attempt = 0; ; attempt += 1) {
    const answer = await firstAnswer(peer).catch(() => undefined);
    if (answer?.status === 302) break;
    if (attempt > 50) throw new Error('nginx never answered 302');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // The first visit fills the cache (one lookup); the measured runs are cache hits.
  for (const url of [ours, oursCapped]) {
    const first = await firstAnswer(url);
    if (first.status !== 302 || first.location !== TARGET)
      throw new Error(`the redirect answered ${JSON.stringify(first)}`);
  }
  for (const url of [ours, oursCapped, peer, bare, floor]) wrk(url, 2);
  // CPU per request of what answers each row, from /proc: it moves far less with other people's
  // load than requests per second. nginx's is its one worker's; the redirect's is its process (both
  // threads) and, beside it, the Redis server and Kafka broker that keep and ship its visits (the
  // dev stack's, shared: anyone else's use in those seconds counts too).
  const serverCpu = {
    redirect: cpuReader([redirectPid]),
    nginx: cpuReader([nginxWorker(nginx.pid!)]),
    bare: cpuReader([barePid]),
    floor: cpuReader([floorPid]),
  };
  const redisCpu = cpuReader(serverPids('redis'));
  const kafkaCpu = cpuReader(serverPids('kafka'));

  const redis = new Redis(redisUrl);
  const countKeys = [link, capped].map(({ id }) => `${redisPrefix}links:visits:${id}`);
  const counted = async () =>
    (await redis.mget(...countKeys)).reduce((sum, value) => sum + Number(value ?? 0), 0);
  const results: [string, Figures, CpuPerRequest][] = [];
  const targets = [
    ['strata redirect', ours, serverCpu.redirect],
    ['strata redirect, capped link', oursCapped, serverCpu.redirect],
    ['nginx return 302', peer, serverCpu.nginx],
    ['node:http return 302', bare, serverCpu.bare],
    ['redirect floor', floor, serverCpu.floor],
  ] as const;
  // Every target warmed before any is measured: without it the first round of each Node row ran
  // partly on code V8 had not yet optimised, as bench:rpc's short default did (its "Seventh pass").
  if (warmupSeconds > 0) for (const [, url] of targets) wrk(url, warmupSeconds);
  const lookupsBefore = stage.lookups();
  const visitsBefore = await counted();
  // Rotated from round to round, so no target always runs on a warmer or cooler machine.
  for (let round = 1; round <= rounds; round += 1) {
    for (let index = 0; index < targets.length; index += 1) {
      const [name, url, cpu] = targets[(index + round - 1) % targets.length]!;
      const commandsBefore = await commandStatsOf(redis);
      const censusBefore = census.read();
      const before = [cpu?.(), redisCpu?.(), kafkaCpu?.()];
      const figures = wrk(url, durationSeconds);
      const perRequest = (read: (() => number) | undefined, at: number | undefined) =>
        read === undefined || at === undefined ? undefined : ((read() - at) * 1e6) / figures.requests;
      const server = perRequest(cpu, before[0]);
      const redisMicros = perRequest(redisCpu, before[1]);
      const kafka = perRequest(kafkaCpu, before[2]);
      // Read after the CPU, so the INFO's own work counts in neither.
      const commands = commandsPerRequest(commandsBefore, await commandStatsOf(redis), figures.requests);
      census.addRow(
        name.startsWith('strata'),
        censusBefore,
        census.read(),
        figures.requests,
        (server ?? 0) * figures.requests,
      );
      results.push([`${name} (round ${round})`, figures, { server, redis: redisMicros, kafka, commands }]);
    }
  }
  const lookupsDuring = stage.lookups() - lookupsBefore;
  const visitsCounted = (await counted()) - visitsBefore;
  // Shipping runs on its own thread and may trail the redirects: how far, and how long it took.
  const stream = `${redisPrefix}links:visit-stream`;
  const backlog = await redis.xlen(stream);

  const of = (name: string) => results.filter(([round]) => round.startsWith(`${name} (`));
  const best = (name: string) => Math.max(...of(name).map(([, f]) => f.rps));
  // Same round, back to back: the ratio least moved by other people's load.
  const pairedRatio = (name: string, peerName: string) =>
    median(of(name).map(([, f], index) => f.rps / of(peerName)[index]![1].rps));
  console.log(
    `\nbench:redirect — ${durationSeconds}s per run, ${rounds} rounds after a ${warmupSeconds} s warm-up of every target, ${connections} connections, wrk -t1 with a browser's User-Agent and Referer, loopback, cache hits`,
  );
  console.log(
    'target'.padEnd(32),
    'req/s'.padStart(10),
    'p50 ms'.padStart(8),
    'p99 ms'.padStart(8),
    'CPU µs/req: server'.padStart(19),
    'Redis'.padStart(6),
    'Kafka'.padStart(6),
    '  errors',
  );
  const micros = (value: number | undefined) => (value === undefined ? '–' : value.toFixed(1));
  for (const [name, figures, cpu] of results) {
    console.log(
      name.padEnd(32),
      figures.rps.toFixed(0).padStart(10),
      figures.p50.toFixed(2).padStart(8),
      figures.p99.toFixed(2).padStart(8),
      micros(cpu.server).padStart(19),
      micros(cpu.redis).padStart(6),
      micros(cpu.kafka).padStart(6),
      ` ${figures.errors}`,
    );
  }
  const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
  console.log('');
  for (const name of [
    'strata redirect',
    'strata redirect, capped link',
    'node:http return 302',
    'redirect floor',
  ]) {
    console.log(
      `${name} / nginx return 302: ${percent(best(name) / best('nginx return 302'))} best round each, ${percent(
        pairedRatio(name, 'nginx return 302'),
      )} median of rounds${name === 'strata redirect' ? ' (goal ≥ 50%)' : ''}`,
    );
  }
  console.log(
    `strata redirect / node:http return 302: ${percent(pairedRatio('strata redirect', 'node:http return 302'))} median of rounds`,
  );
  console.log(
    `strata redirect / redirect floor: ${percent(pairedRatio('strata redirect', 'redirect floor'))} median of rounds`,
  );
  const medianCpu = (name: string, of3: 'server' | 'redis' | 'kafka') => {
    const values = of(name)
      .map(([, , cpu]) => cpu[of3])
      .filter((value) => value !== undefined);
    return values.length === 0 ? undefined : median(values);
  };
  console.log(
    `CPU per request, median of rounds: nginx's one worker ${micros(medianCpu('nginx return 302', 'server'))} µs; bare node:http ${micros(
      medianCpu('node:http return 302', 'server'),
    )} µs; strata redirect ${micros(medianCpu('strata redirect', 'server'))} µs (both threads) + Redis ${micros(
      medianCpu('strata redirect', 'redis'),
    )} µs + Kafka broker ${micros(medianCpu('strata redirect', 'kafka'))} µs; redirect floor ${micros(
      medianCpu('redirect floor', 'server'),
    )} µs + Redis ${micros(medianCpu('redirect floor', 'redis'))} µs (shared servers; their idle work counts too)`,
  );
  // Where the Redis server's µs go, per command type: what each row's visits cost it to keep and ship.
  for (const name of ['strata redirect', 'strata redirect, capped link', 'redirect floor'])
    console.log(
      commandsLine(
        name,
        of(name).map(([, , cpu]) => cpu.commands),
      ),
    );
  for (const line of census.lines()) console.log(line);
  // When the floor itself misses the goal, no redirect that keeps its visits can meet it here.
  const floorRatio = pairedRatio('redirect floor', 'nginx return 302');
  if (floorRatio < 0.5)
    console.log(
      `the floor itself reached ${percent(floorRatio)} of nginx (median of rounds): on this machine no redirect that keeps each visit in Redis before answering reaches 50 %`,
    );
  console.log(`visits counted in Redis during the measured runs: ${visitsCounted}`);
  console.log(
    `database lookups during the measured runs: ${lookupsDuring} (calls the redirect made to engagement-service; the redirect process has no database connection)`,
  );
  const drainStarted = Date.now();
  while ((await redis.xlen(stream)) > 0 && Date.now() - drainStarted < 180_000) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const drainSeconds = (Date.now() - drainStarted) / 1000;
  const drained = (await redis.xlen(stream)) === 0;
  await redis.quit();
  console.log(
    `visits not yet shipped to Kafka when the runs ended: ${backlog} queue entries; ${
      drained
        ? `all shipped ${drainSeconds.toFixed(1)} s later`
        : `still queued after ${drainSeconds.toFixed(0)} s`
    }`,
  );
  // How soon a disable reaches both instances of the short domain: a phase of its own (BENCH_REDIRECT_INVALIDATIONS=0 skips it).
  await measureInvalidation(stage);
} finally {
  await stage.close();
  await rm(dir, { recursive: true, force: true });
}
