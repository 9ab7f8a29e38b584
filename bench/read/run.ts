// npm run bench:read — a learner's course page (GET /api/learner/courses/:id) through Strata in
// distributed mode (gateway → learner-api → Redis cache or commerce-service → MariaDB), against
// the single-process MVC it grew from (Fastify + MikroORM, one query, JSON out) on the same
// table, and each hop on its own, so the time per hop shows. Rows are interleaved over rounds
// (the machine is shared and noisy) and each figure is the median over rounds. Any failure or
// wrong answer removes the row, prints why, and makes the command exit 1.
import { randomInt } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { ensureDebianCommands, stackEndpoints } from '@strata/dev-stack';
import { Redis } from 'ioredis';
import { createConnection } from 'mysql2/promise';
import { median } from '../shared/median.ts';
import { cpuSeconds } from '../shared/process-cpu.ts';
import { writeWrkScript } from '../shared/wrk.ts';
import { insertCourses } from './course-rows.ts';
import { load, pad, padStart, thousands, wrk, type Figures } from './measure.ts';
import { BENCH_CALLER, preparePlatform, root } from './platform.ts';
import { startChild, stopChild, waitForLine, type Child } from './processes.ts';

const { values: options } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '8' },
    connections: { type: 'string', default: '32' },
    courses: { type: 'string', default: '30000' },
    // Some rows only, by id (ROW_IDS), for iterating on one path; the MVC row is always kept, since
    // every ratio is to it.
    rows: { type: 'string' },
  },
});
const rounds = Number(options.rounds);
const seconds = Number(options.seconds);
const connections = Number(options.connections);
const courseCount = Number(options.courses);
const HOT = 200;
const ROW_IDS = ['mvc', 'strata', 'strata-miss', 'learner', 'rpc', 'sql', 'redis'];
const chosen = options.rows?.split(',').map((id) => id.trim());
const unknownRows = chosen?.filter((id) => !ROW_IDS.includes(id)) ?? [];
if (unknownRows.length > 0) {
  console.error(
    `bench:read: --rows names no row ${unknownRows.join(', ')}; the rows are ${ROW_IDS.join(', ')}`,
  );
  process.exit(2);
}

await ensureDebianCommands('bench-read', [{ command: 'wrk', debianPackage: 'wrk' }]);

const dir = await mkdtemp(join(tmpdir(), 'strata-bench-read-'));
const { mysql, redisUrl, etcdHosts } = stackEndpoints();
const platform = await preparePlatform(dir);
let mvc: Child | undefined;
let failed = false;

interface Row {
  readonly id: string;
  readonly label: string;
  /** Processes whose CPU per request the row reports. */
  readonly cpuOf: string[];
  readonly run: () => Promise<Figures>;
  readonly before?: () => Promise<void>;
  /** The row's answers must not be cache hits: fewer requests than ids. */
  readonly maxRequests?: number;
}

try {
  console.log('bench:read — preparing: migrating commerce-service, seeding courses, starting the processes…');
  const services = ['commerce-service', 'learning-service', 'engagement-service'] as const;
  for (const service of services) await platform.migrate(service);
  const connection = await createConnection({ ...mysql });
  const published = await insertCourses(connection, platform.database, 0, courseCount);
  const [drafts] = await connection.query(
    `select id from \`${platform.database}\`.courses where status = 'draft' limit 1`,
  );
  await connection.end();
  const draftId = (drafts as { id: string }[])[0]!.id;
  const shuffled = [...published].sort(() => randomInt(3) - 1);
  const hotIds = shuffled.slice(0, HOT);
  const walkIds = shuffled.slice(HOT);

  const commerce = await platform.startDataService('commerce-service', 1);
  await platform.startDataService('learning-service', 1);
  await platform.startDataService('engagement-service', 1);
  const learnerUrl = await platform.startLearnerApi();
  const gatewayUrl = await platform.startGateway();
  mvc = startChild({
    name: 'mvc',
    command: process.execPath,
    args: [
      join(root, 'bench/read/mvc-server.ts'),
      platform.database,
      mysql.host,
      String(mysql.port),
      mysql.user,
      mysql.password,
    ],
    env: process.env,
    cwd: root,
    logFile: join(dir, 'mvc.log'),
  });
  const mvcUrl = `http://127.0.0.1:${(await waitForLine(mvc, /ready (\d+)/))[1]}`;
  const pids: Record<string, number> = {
    gateway: platform.processes.get('gateway#1')!.pid,
    'learner-api': platform.processes.get('learner-api#1')!.pid,
    'commerce-service': commerce.pid,
    mvc: mvc.pid,
  };

  // Same answers from both before any number: the same course view, the same 404 for a draft.
  const routeUrl = `${gatewayUrl}/api/learner/courses/`;
  for (let attempt = 0; ; attempt += 1) {
    const response = await fetch(routeUrl + hotIds[0]).catch(() => undefined);
    if (response?.status === 200) break;
    if (attempt > 100) throw new Error(`the gateway never routed ${routeUrl}: ${response?.status}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  for (const id of hotIds.slice(0, 5)) {
    const ours = await (await fetch(routeUrl + id)).json();
    const theirs = await (await fetch(`${mvcUrl}/courses/${id}`)).json();
    if (!isDeepStrictEqual(ours, theirs)) {
      throw new Error(
        `the two answer differently for ${id}:\n${JSON.stringify(ours)}\n${JSON.stringify(theirs)}`,
      );
    }
  }
  for (const url of [routeUrl + draftId, `${mvcUrl}/courses/${draftId}`]) {
    const status = (await fetch(url)).status;
    if (status !== 404) throw new Error(`${url} answered ${status} for a draft, not 404`);
  }

  const script = (name: string, path: string, ids: string[], order: 'random' | 'walk') => {
    const file = join(dir, `${name}.lua`);
    writeWrkScript(file, path, ids, order);
    return file;
  };
  const hotGateway = script('hot-gateway', '/api/learner/courses/', hotIds, 'random');
  const hotLearner = script('hot-learner', '/courses/', hotIds, 'random');
  const hotMvc = script('hot-mvc', '/courses/', hotIds, 'random');
  const walkGateway = script('walk-gateway', '/api/learner/courses/', walkIds, 'walk');
  const idsFile = join(dir, 'hot-ids.json');
  await writeFile(idsFile, JSON.stringify(hotIds));
  const cacheKey = `${platform.redisPrefix}learner-api:{course:%s}`;
  const redis = new Redis(redisUrl);
  const dropCachedCourses = async () => {
    const keys = await redis.keys(`${platform.redisPrefix}learner-api:*course:*`);
    for (let start = 0; start < keys.length; start += 1_000)
      await redis.del(...keys.slice(start, start + 1_000));
    // The hot set cached again, so the hit rows stay hits.
    await Promise.all(hotIds.map((id) => fetch(routeUrl + id).then((response) => response.arrayBuffer())));
  };
  const tls = {
    caFile: platform.certificates.caCertFile,
    certFile: platform.certificates.services[BENCH_CALLER]!.certFile,
    keyFile: platform.certificates.services[BENCH_CALLER]!.keyFile,
    caller: BENCH_CALLER,
  };
  const common = { concurrency: connections, warmupSeconds: 1, seconds, idsFile };
  const allRows: Row[] = [
    {
      id: 'mvc',
      label: 'MVC: Fastify + MikroORM, one process',
      cpuOf: ['mvc'],
      run: async () => wrk(mvcUrl, hotMvc, seconds, connections),
    },
    {
      id: 'strata',
      label: 'strata: gateway → learner-api (cache hit)',
      cpuOf: ['gateway', 'learner-api'],
      run: async () => wrk(gatewayUrl, hotGateway, seconds, connections),
    },
    {
      id: 'strata-miss',
      label: 'strata: gateway → learner-api → commerce → DB (cache miss)',
      cpuOf: ['gateway', 'learner-api', 'commerce-service'],
      before: dropCachedCourses,
      maxRequests: walkIds.length,
      run: async () => wrk(gatewayUrl, walkGateway, seconds, connections),
    },
    {
      id: 'learner',
      label: 'hop: learner-api alone (cache hit, no gateway)',
      cpuOf: ['learner-api'],
      run: async () => wrk(learnerUrl, hotLearner, seconds, connections),
    },
    {
      id: 'rpc',
      label: 'hop: commerce-service Course.get over mTLS RPC',
      cpuOf: ['commerce-service'],
      run: () =>
        load({ ...common, mode: 'rpc', etcd: { hosts: etcdHosts, prefix: platform.etcdPrefix }, tls }),
    },
    {
      id: 'sql',
      label: 'hop: the SQL query alone (mysql2, pool 10)',
      cpuOf: [],
      run: () => load({ ...common, mode: 'sql', mysql: { ...mysql, database: platform.database } }),
    },
    {
      id: 'redis',
      label: 'hop: the Redis GET alone (ioredis)',
      cpuOf: [],
      run: () => load({ ...common, mode: 'redis', redis: { url: redisUrl, key: cacheKey } }),
    },
  ];
  const rows = allRows.filter((row) => chosen === undefined || row.id === 'mvc' || chosen.includes(row.id));

  console.log(
    `bench:read — ${rounds} rounds, rows interleaved (order rotated each round), ${seconds} s per row, ` +
      `${connections} connections (wrk -t1) or calls in flight; ${courseCount} courses seeded, ${HOT} hot ids read at random; ` +
      'services log at info, as deployed (one access line per request on each HTTP hop)',
  );
  // Warm-up: every row once, short, before any is measured (JIT, pools, the cache's hot set).
  for (const row of rows) {
    await row.before?.();
    if (row.id === 'rpc' || row.id === 'sql' || row.id === 'redis') continue;
    wrk(
      row.id === 'mvc' ? mvcUrl : row.id === 'learner' ? learnerUrl : gatewayUrl,
      row.id === 'mvc' ? hotMvc : row.id === 'learner' ? hotLearner : hotGateway,
      3,
      connections,
    );
  }

  const results = new Map<string, { figures: Figures[]; cpu: Record<string, number[]> }>();
  const errors = new Map<string, string>();
  for (let round = 0; round < rounds; round += 1) {
    const order = rows.map((_, index) => rows[(index + round) % rows.length]!);
    for (const row of order) {
      if (errors.has(row.id)) continue;
      try {
        await row.before?.();
        const cpuBefore = Object.fromEntries(row.cpuOf.map((name) => [name, cpuSeconds(pids[name]!)]));
        const figures = await row.run();
        if (row.maxRequests !== undefined && figures.requests > row.maxRequests) {
          throw new Error(
            `made ${figures.requests} requests for ${row.maxRequests} ids: some were cache hits; seed more (--courses)`,
          );
        }
        const entry = results.get(row.id) ?? { figures: [], cpu: {} };
        entry.figures.push(figures);
        for (const name of row.cpuOf) {
          (entry.cpu[name] ??= []).push(
            ((cpuSeconds(pids[name]!) - cpuBefore[name]!) * 1e6) / figures.requests,
          );
        }
        results.set(row.id, entry);
        console.log(
          `  round ${round + 1} ${pad(row.id, 12)} ${thousands(figures.rps)} req/s, p50 ${figures.p50.toFixed(2)} ms, p99 ${figures.p99.toFixed(2)} ms`,
        );
      } catch (error) {
        errors.set(row.id, (error as Error).message);
        results.delete(row.id);
        console.log(`  round ${round + 1} ${pad(row.id, 12)} FAILED: ${(error as Error).message}`);
      }
    }
  }
  await redis.quit();

  const summary = (id: string) => {
    const entry = results.get(id);
    if (entry === undefined) return undefined;
    return {
      rps: median(entry.figures.map((figures) => figures.rps)),
      min: Math.min(...entry.figures.map((figures) => figures.rps)),
      max: Math.max(...entry.figures.map((figures) => figures.rps)),
      p50: median(entry.figures.map((figures) => figures.p50)),
      p99: median(entry.figures.map((figures) => figures.p99)),
      cpu: Object.entries(entry.cpu).map(([name, values]) => `${name} ${median(values).toFixed(0)}`),
    };
  };
  const baseline = summary('mvc');
  console.log(
    `\n${pad('row', 62)}${padStart('req/s', 8)}${padStart('range over rounds', 20)}${padStart('p50 ms', 9)}${padStart('p99 ms', 9)}${padStart('÷ MVC', 8)}${padStart('p99 ÷ MVC', 11)}   CPU µs/request by process`,
  );
  for (const row of rows) {
    const figures = summary(row.id);
    if (figures === undefined) {
      console.log(`${pad(row.label, 62)}FAILED: ${errors.get(row.id)?.split('\n')[0]}`);
      failed = true;
      continue;
    }
    console.log(
      `${pad(row.label, 62)}${padStart(thousands(figures.rps), 8)}${padStart(`${thousands(figures.min)}–${thousands(figures.max)}`, 20)}` +
        `${padStart(figures.p50.toFixed(2), 9)}${padStart(figures.p99.toFixed(2), 9)}` +
        `${padStart(baseline === undefined ? 'n/a' : `${(figures.rps / baseline.rps).toFixed(2)}×`, 8)}` +
        `${padStart(baseline === undefined ? 'n/a' : `${(figures.p99 / baseline.p99).toFixed(2)}×`, 11)}   ${figures.cpu.join(', ')}`,
    );
  }
  const strata = summary('strata');
  const miss = summary('strata-miss');
  if (baseline !== undefined) {
    for (const [name, figures] of [
      ['cache hit', strata],
      ['cache miss', miss],
    ] as const) {
      if (figures === undefined) continue;
      const throughput = figures.rps / baseline.rps;
      const tail = figures.p99 / baseline.p99;
      console.log(
        `goal (${name}): throughput ${throughput.toFixed(2)}× MVC (goal ≥ 0.5×), p99 ${tail.toFixed(2)}× MVC (goal ≤ 2×): ` +
          (throughput >= 0.5 && tail <= 2 ? 'met' : 'NOT met'),
      );
    }
  }
} catch (error) {
  failed = true;
  console.error(`bench:read failed: ${(error as Error).stack ?? String(error)}`);
} finally {
  if (mvc !== undefined) await stopChild(mvc);
  await platform.stop().catch((error: unknown) => {
    failed = true;
    console.error(`cleaning up failed: ${(error as Error).message}`);
  });
  if (!failed) await rm(dir, { recursive: true, force: true });
  else console.error(`logs kept in ${dir}`);
}
process.exit(failed ? 1 : 0);
