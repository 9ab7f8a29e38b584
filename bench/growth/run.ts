// npm run bench:growth — how cost grows with work (issue 21, "Growth"):
//  1. catalog list and search latency (p50/p99) through learner-api's `GET /courses` → catalog
//     RPC `Course.findPublished` → commerce-service → MariaDB, at 10k, 100k and 1M courses, and
//     the ratio of each size's p99 to the smallest size's ("flat" is close to 1×), and beside each
//     row the pages MariaDB had to read from disk (not in its buffer pool);
//  2. RPC throughput of one data service (commerce-service `Course.get`, mutual TLS, found in etcd,
//     balanced client-side) with 1 and then 2 instances, and the 2 ÷ 1 ratio;
//  3. `npm start` (embedded) from spawn to ready, and the RSS of every process embedded and
//     distributed.
// Any failure removes the row, prints why and makes the command exit 1; the bench database,
// Redis keys and etcd keys are removed at the end.
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { stackEndpoints } from '@strata/dev-stack';
import { EtcdRegistry } from '@strata/rpc';
import { createConnection, type Connection } from 'mysql2/promise';
import { load, pad, padStart, thousands, type Figures } from '../read/measure.ts';
import { BENCH_CALLER, preparePlatform, root, type Platform } from '../read/platform.ts';
import { stopChild } from '../read/processes.ts';
import { freePort } from '../shared/free-port.ts';
import { median } from '../shared/median.ts';
import { cpuSeconds } from '../shared/process-cpu.ts';
import { CATALOG_ROWS, closedLoop, type Latency } from './catalog-load.ts';
import { removeDeployment } from '../read/deployment-cleanup.ts';
import { treeMemory, startPlatform, stopPlatform, type ProcessMemory } from './platform-start.ts';
import { seedCourses } from './seed-courses.ts';
import { explainQueries } from './catalog-plans.ts';
import { mib, poolCounters, poolDelta, poolSize, type PoolCounters } from './buffer-pool.ts';

const { values: options } = parseArgs({
  options: {
    sections: { type: 'string', default: 'catalog,rpc,start' },
    sizes: { type: 'string', default: '10k,100k,1m' },
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '2' },
    'rpc-seconds': { type: 'string', default: '8' },
    'rpc-concurrency': { type: 'string', default: '64' },
    'start-rounds': { type: 'string', default: '3' },
    'min-requests': { type: 'string', default: '100' },
  },
});
const sections = new Set(options.sections.split(','));
const sizes = options.sizes.split(',').map((text) => {
  const match = /^(\d+)(k|m)?$/i.exec(text.trim());
  if (match === null) throw new Error(`--sizes takes counts like 10k,100k,1m; got "${text}"`);
  return Number(match[1]) * ({ k: 1_000, m: 1_000_000 }[match[2]?.toLowerCase() as 'k' | 'm'] ?? 1);
});
const rounds = Number(options.rounds);
const seconds = Number(options.seconds);
const connections = Number(options.connections);
const minRequests = Number(options['min-requests']);
const GOAL_READY_MS = 5_000;
const label = (size: number) =>
  size >= 1_000_000 && size % 1_000_000 === 0
    ? `${size / 1_000_000}M`
    : size % 1_000 === 0
      ? `${size / 1_000}k`
      : String(size);

let failed = false;
const fail = (what: string, error: unknown) => {
  failed = true;
  console.log(`${what} FAILED: ${(error as Error).stack ?? String(error)}`);
};

console.log(
  `bench:growth — machine: ${availableParallelism()} cores, load average ${loadavg()
    .map((value) => value.toFixed(2))
    .join(' ')}; sections ${[...sections].join(', ')}`,
);
const dir = await mkdtemp(join(tmpdir(), 'strata-bench-growth-'));

if (sections.has('catalog') || sections.has('rpc')) {
  const platform = await preparePlatform(dir);
  const connection = await createConnection({ ...stackEndpoints().mysql });
  try {
    await catalogAndRpc(platform, connection);
  } catch (error) {
    fail('catalog/rpc', error);
  } finally {
    await connection.end();
    await platform.stop().catch((error: unknown) => fail('cleaning up', error));
    console.log(
      `bench database ${platform.database} dropped, Redis and etcd keys of ${platform.deployment} removed`,
    );
  }
}
if (sections.has('start')) {
  try {
    await startTimes();
  } catch (error) {
    fail('start', error);
  }
}
if (!failed) await rm(dir, { recursive: true, force: true });
else console.error(`logs kept in ${dir}`);
process.exit(failed ? 1 : 0);

async function catalogAndRpc(platform: Platform, connection: Connection): Promise<void> {
  console.log(`\n== catalog and RPC: deployment ${platform.deployment}, database ${platform.database}`);
  for (const service of ['commerce-service', 'learning-service', 'engagement-service'] as const)
    await platform.migrate(service);
  const published: string[] = [];
  let seeded = 0;
  const grow = async (size: number) => {
    if (size <= seeded) return;
    console.log(`seeding ${label(size)} courses (${thousands(size - seeded)} more)…`);
    const added = await seedCourses(connection, platform.database, seeded, size);
    for (const id of added.published) published.push(id);
    seeded = size;
    // Statistics as a table that grew in production would have them: the plan depends on them.
    await connection.query(`analyze table \`${platform.database}\`.courses`);
  };
  await grow(sizes[0]!);
  const commerce = await platform.startDataService('commerce-service', 1);
  await platform.startDataService('learning-service', 1);
  await platform.startDataService('engagement-service', 1);
  const learnerUrl = await platform.startLearnerApi();
  await answersCorrectly(learnerUrl, platform, connection);

  if (sections.has('rpc')) {
    try {
      await rpcScaling(platform, published, commerce.pid);
    } catch (error) {
      fail('rpc', error);
    }
  }
  if (!sections.has('catalog')) return;

  const results = new Map<number, Map<string, Latency & PoolCounters>>();
  for (const size of sizes) {
    try {
      await grow(size);
    } catch (error) {
      fail(`seeding ${label(size)}`, error);
      break;
    }
    const bySize = new Map<string, (Latency & PoolCounters)[]>();
    const paths = new Map(CATALOG_ROWS.map((row) => [row.id, row.paths(published, size)]));
    const [tables] = await connection.query(
      `select data_length + index_length as bytes from information_schema.tables where table_schema = ? and table_name = 'courses'`,
      [platform.database],
    );
    console.log(
      `courses table ${mib(Number((tables as { bytes: number | string }[])[0]?.bytes))} (data and indexes, InnoDB's estimate), ` +
        `buffer pool ${mib(await poolSize(connection))}`,
    );
    console.log(
      `catalog at ${label(size)} courses: ${rounds} rounds × ${CATALOG_ROWS.length} rows, ${seconds} s each, ` +
        `${connections} requests in flight (closed loop, at least ${minRequests} requests a row), 20 courses a page`,
    );
    // Warm-up: the JIT, the pools and MariaDB's buffer pool for this size.
    const broken = new Set<string>();
    for (const row of CATALOG_ROWS) {
      try {
        await closedLoop(learnerUrl, paths.get(row.id)!, 2, connections, 2);
      } catch (error) {
        broken.add(row.id);
        fail(`${label(size)} ${row.id} (warm-up)`, error);
      }
    }
    for (let round = 0; round < rounds; round += 1) {
      for (const row of CATALOG_ROWS.map(
        (_, index) => CATALOG_ROWS[(index + round) % CATALOG_ROWS.length]!,
      )) {
        if (broken.has(row.id)) continue;
        try {
          const before = await poolCounters(connection);
          const latency = await closedLoop(learnerUrl, paths.get(row.id)!, seconds, connections, minRequests);
          const figures = { ...latency, ...poolDelta(before, await poolCounters(connection)) };
          (bySize.get(row.id) ?? bySize.set(row.id, []).get(row.id)!).push(figures);
          console.log(
            `  round ${round + 1} ${pad(row.id, 13)} ${thousands(figures.rps)} req/s, p50 ${figures.p50.toFixed(2)} ms, p99 ${figures.p99.toFixed(2)} ms (${figures.requests} requests); ` +
              `buffer pool: ${thousands(figures.reads)} disk reads of ${thousands(figures.readRequests)} page requests`,
          );
        } catch (error) {
          broken.add(row.id);
          fail(`${label(size)} ${row.id}`, error);
        }
      }
    }
    results.set(
      size,
      new Map(
        [...bySize].map(([id, runs]) => [
          id,
          {
            requests: runs.reduce((sum, run) => sum + run.requests, 0),
            rps: median(runs.map((run) => run.rps)),
            p50: median(runs.map((run) => run.p50)),
            p99: median(runs.map((run) => run.p99)),
            reads: runs.reduce((sum, run) => sum + run.reads, 0),
            readRequests: runs.reduce((sum, run) => sum + run.readRequests, 0),
          },
        ]),
      ),
    );
    await explainQueries(connection, platform.database, label(size), published);
  }
  printCatalogTable(results);
}

/** The same answers a learner gets, before any number: a full first page, and a title search that finds its course. */
async function answersCorrectly(
  learnerUrl: string,
  platform: Platform,
  connection: Connection,
): Promise<void> {
  const page = (await (await fetch(`${learnerUrl}/courses?limit=20`)).json()) as {
    items: { id: string; status: string }[];
    nextCursor: string | null;
  };
  if (
    page.items.length !== 20 ||
    page.nextCursor === null ||
    page.items.some((item) => item.status !== 'published')
  )
    throw new Error(
      `the first page is not 20 published courses with a next page: ${JSON.stringify(page).slice(0, 500)}`,
    );
  const [rows] = await connection.query(
    `select title from \`${platform.database}\`.courses where status = 'published' limit 1`,
  );
  const { title } = (rows as { title: string }[])[0]!;
  const found = (await (await fetch(`${learnerUrl}/courses?text=${encodeURIComponent(title)}`)).json()) as {
    items: { title: string }[];
  };
  if (!found.items.some((item) => item.title === title))
    throw new Error(`searching "${title}" did not find its course: ${JSON.stringify(found).slice(0, 500)}`);
}

function printCatalogTable(results: Map<number, Map<string, Latency & PoolCounters>>): void {
  const measured = sizes.filter((size) => results.has(size));
  if (measured.length === 0) return;
  const base = measured[0]!;
  console.log(
    `\ncatalog latency through learner-api → RPC → commerce-service → MariaDB; p50 / p99 ms (median over rounds); ` +
      `p99 ÷ p99 at ${label(base)}; disk/req: pages MariaDB read from disk (not in its buffer pool) per request, over all rounds`,
  );
  console.log(
    pad('row', 48) +
      measured
        .map(
          (size) =>
            padStart(`${label(size)} req/s`, 13) +
            padStart(`p50`, 9) +
            padStart(`p99`, 9) +
            padStart('disk/req', 10),
        )
        .join('') +
      measured
        .slice(1)
        .map((size) => padStart(`p99 ${label(size)}÷${label(base)}`, 14))
        .join(''),
  );
  for (const row of CATALOG_ROWS) {
    const cells = measured.map((size) => results.get(size)!.get(row.id));
    console.log(
      pad(row.label, 48) +
        cells
          .map((cell) =>
            cell === undefined
              ? padStart('FAILED', 41)
              : padStart(thousands(cell.rps), 13) +
                padStart(cell.p50.toFixed(1), 9) +
                padStart(cell.p99.toFixed(1), 9) +
                padStart((cell.reads / cell.requests).toFixed(2), 10),
          )
          .join('') +
        cells
          .slice(1)
          .map((cell) =>
            padStart(
              cell === undefined || cells[0] === undefined
                ? 'n/a'
                : `${(cell.p99 / cells[0].p99).toFixed(2)}×`,
              14,
            ),
          )
          .join(''),
    );
  }
}

async function rpcScaling(platform: Platform, published: string[], firstPid: number): Promise<void> {
  const rpcRounds = rounds;
  const rpcSeconds = Number(options['rpc-seconds']);
  const concurrency = Number(options['rpc-concurrency']);
  const idsFile = join(dir, 'rpc-ids.json');
  await writeFile(idsFile, JSON.stringify(published.slice(0, 5_000)));
  const registry = new EtcdRegistry({ hosts: stackEndpoints().etcdHosts, prefix: platform.etcdPrefix });
  const tls = {
    caFile: platform.certificates.caCertFile,
    certFile: platform.certificates.services[BENCH_CALLER]!.certFile,
    keyFile: platform.certificates.services[BENCH_CALLER]!.keyFile,
    caller: BENCH_CALLER,
  };
  const waitForInstances = async (count: number) => {
    for (let attempt = 0; (await registry.instances('commerce-service')).length !== count; attempt += 1) {
      if (attempt > 300) throw new Error(`etcd never listed ${count} commerce-service instances`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  console.log(
    `\n== RPC: commerce-service Course.get (a random one of ${thousands(Math.min(published.length, 5_000))} courses, read from MariaDB), ` +
      `mutual TLS, instances found in etcd, the contract's client-side balancing (consistent hash by course id); ` +
      `${concurrency} calls in flight from one client process, ${rpcSeconds} s per run, ${rpcRounds} rounds`,
  );
  const runs: Record<1 | 2, (Figures & { cpuUs: number })[]> = { 1: [], 2: [] };
  try {
    for (let round = 0; round < rpcRounds; round += 1) {
      for (const instances of [1, 2] as const) {
        let second: number | undefined;
        if (instances === 2) second = (await platform.startDataService('commerce-service', 2)).pid;
        await waitForInstances(instances);
        const pids = second === undefined ? [firstPid] : [firstPid, second];
        const before = pids.map(cpuSeconds);
        const figures = await load({
          mode: 'rpc',
          concurrency,
          // Long enough for a just-started second instance's JIT and pools to warm up.
          warmupSeconds: 5,
          seconds: rpcSeconds,
          idsFile,
          etcd: { hosts: stackEndpoints().etcdHosts, prefix: platform.etcdPrefix },
          tls,
        });
        // Server CPU over warm-up and measured calls alike, per measured call: an upper bound.
        const cpuUs =
          (pids.reduce((sum, pid, index) => sum + cpuSeconds(pid) - before[index]!, 0) * 1e6) /
          figures.requests;
        runs[instances].push({ ...figures, cpuUs });
        console.log(
          `  round ${round + 1} ${instances} instance${instances === 1 ? ' ' : 's'} ${thousands(figures.rps)} calls/s, ` +
            `p50 ${figures.p50.toFixed(2)} ms, p99 ${figures.p99.toFixed(2)} ms`,
        );
        if (second !== undefined) {
          await stopChild(platform.processes.get('commerce-service#2')!);
          platform.processes.delete('commerce-service#2');
          await waitForInstances(1);
        }
      }
    }
  } finally {
    await registry.close();
  }
  const summary = (instances: 1 | 2) => ({
    rps: median(runs[instances].map((run) => run.rps)),
    min: Math.min(...runs[instances].map((run) => run.rps)),
    max: Math.max(...runs[instances].map((run) => run.rps)),
    p50: median(runs[instances].map((run) => run.p50)),
    p99: median(runs[instances].map((run) => run.p99)),
    cpuUs: median(runs[instances].map((run) => run.cpuUs)),
  });
  const one = summary(1);
  const two = summary(2);
  console.log(
    `\n${pad('commerce-service instances', 30)}${padStart('calls/s', 9)}${padStart('range over rounds', 20)}${padStart('p50 ms', 9)}${padStart('p99 ms', 9)}${padStart('server CPU µs/call', 20)}${padStart('÷ 1 instance', 14)}`,
  );
  for (const [name, figures] of [
    ['1 instance', one],
    ['2 instances', two],
  ] as const) {
    console.log(
      `${pad(name, 30)}${padStart(thousands(figures.rps), 9)}${padStart(`${thousands(figures.min)}–${thousands(figures.max)}`, 20)}` +
        `${padStart(figures.p50.toFixed(2), 9)}${padStart(figures.p99.toFixed(2), 9)}${padStart(figures.cpuUs.toFixed(0), 20)}` +
        `${padStart(`${(figures.rps / one.rps).toFixed(2)}×`, 14)}`,
    );
  }
  console.log(
    `2 ÷ 1 instances: ${(two.rps / one.rps).toFixed(2)}× on ${availableParallelism()} cores shared by the client, ` +
      'both instances and MariaDB: a second instance can only add what the first left idle of the two cores',
  );
}

async function startTimes(): Promise<void> {
  const startRounds = Number(options['start-rounds']);
  console.log(
    `\n== start: \`npm start\` (embedded) from the spawn of npm to the banner's "Ctrl-C stops it." (as tests/e2e does), ` +
      `${startRounds} rounds of a first start on an empty data folder then a second start on it; RSS of each process 2 s after ready`,
  );
  const closed = await freePort();
  const embeddedEnv = (dataDir: string): Record<string, string> => ({
    STRATA_PORT: '0',
    STRATA_ADMIN_PORT: '0',
    STRATA_HEALTH_PORT: '0',
    STRATA_REDIRECT_PORT: '0',
    STRATA_DATA_DIR: dataDir,
    // Every stack endpoint closed: embedded must not need them (tests/e2e/npm-start.test.ts does the same).
    STRATA_MYSQL_HOST: '127.0.0.1',
    STRATA_MYSQL_PORT: String(closed),
    STRATA_REDIS_URL: `redis://127.0.0.1:${closed}`,
    STRATA_KAFKA_BROKERS: `127.0.0.1:${closed}`,
    STRATA_ETCD_HOSTS: `http://127.0.0.1:${closed}`,
  });
  const first: number[] = [];
  const second: number[] = [];
  let memory: ProcessMemory[] = [];
  for (let round = 0; round < startRounds; round += 1) {
    const dataDir = await mkdtemp(join(tmpdir(), 'strata-bench-growth-embedded-'));
    try {
      for (const [kind, times] of [
        ['first start', first],
        ['second start', second],
      ] as const) {
        const running = await startPlatform(root, 'start', embeddedEnv(dataDir));
        times.push(running.readyMs);
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        if (round === 0 && kind === 'first start') memory = treeMemory(running.child.pid!);
        await stopPlatform(running);
        console.log(`  round ${round + 1} ${kind}: ready in ${(running.readyMs / 1000).toFixed(2)} s`);
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }
  const firstMedian = median(first);
  console.log(
    `\nembedded \`npm start\`, spawn → ready (median of ${startRounds}): first start (empty data folder, migrates and seeds) ` +
      `${(firstMedian / 1000).toFixed(2)} s, second start ${(median(second) / 1000).toFixed(2)} s; goal ≤ 5 s: ` +
      (firstMedian <= GOAL_READY_MS ? 'met' : 'NOT met'),
  );
  printMemory('embedded, RSS per process', memory);
  if (firstMedian > GOAL_READY_MS) await profileStart(embeddedEnv);
  await distributedMemory();
}

function printMemory(title: string, memory: ProcessMemory[], names = new Map<number, string>()): void {
  console.log(`\n${title}`);
  for (const entry of memory)
    console.log(
      `  ${pad(names.get(entry.pid) ?? entry.name, 44)}pid ${pad(String(entry.pid), 9)}${padStart(entry.rssMiB.toFixed(0), 6)} MiB`,
    );
  const node = memory.filter((entry) => !/^(npm|sh) /.test(names.get(entry.pid) ?? entry.name));
  console.log(
    `  ${pad(`total, ${node.length} platform processes (npm and sh left out)`, 58)}${padStart(node.reduce((sum, entry) => sum + entry.rssMiB, 0).toFixed(0), 6)} MiB`,
  );
}

/** Where a first start's time goes: a V8 CPU profile of the embedded process, summarised. */
async function profileStart(embeddedEnv: (dataDir: string) => Record<string, string>): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'strata-bench-growth-embedded-'));
  const profiles = join(dir, 'start-profile');
  try {
    const running = await startPlatform(root, 'start', {
      ...embeddedEnv(dataDir),
      NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --cpu-prof --cpu-prof-dir=${profiles}`.trim(),
    });
    const main = treeMemory(running.child.pid!).find((entry) => entry.name === 'scripts/start.ts');
    await stopPlatform(running);
    console.log(
      `\nwhere a first start's ${(running.readyMs / 1000).toFixed(2)} s go (profiled run; the profile runs to the process's exit, so stopping is in it too):`,
    );
    const files = await readdir(profiles);
    const own = files.find((file) => main !== undefined && file.includes(`.${main.pid}.`));
    // npm and the payment simulator write profiles too; the platform's process is the busiest.
    const sized = await Promise.all(
      files.map(async (file) => ({ file, size: (await stat(join(profiles, file))).size })),
    );
    const chosen = own ?? sized.sort((a, b) => b.size - a.size)[0]?.file;
    if (chosen === undefined) throw new Error(`no CPU profile written in ${profiles}`);
    const summary = spawnSync(
      process.execPath,
      [join(root, 'bench/rpc/profile-summary.ts'), '--top', '15', join(profiles, chosen)],
      {
        encoding: 'utf8',
      },
    );
    console.log(summary.stdout + summary.stderr);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** `npm run start:distributed` once, on a deployment name of its own: its ready time and every process's RSS. */
async function distributedMemory(): Promise<void> {
  const deployment = `bg${randomBytes(4).toString('hex')}`;
  const dataDir = await mkdtemp(join(tmpdir(), 'strata-bench-growth-distributed-'));
  console.log(`\n== distributed: \`npm run start:distributed\` (deployment ${deployment}), once`);
  try {
    const running = await startPlatform(root, 'start:distributed', {
      STRATA_PORT: '0',
      STRATA_DATA_DIR: dataDir,
      STRATA_DEPLOYMENT: deployment,
    });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const names = new Map(
      [...running.output().matchAll(/^ {2}(\S+) +pid (\d+) /gm)].map((match) => [
        Number(match[2]),
        match[1]!,
      ]),
    );
    const memory = treeMemory(running.child.pid!);
    await stopPlatform(running);
    console.log(`distributed, spawn → ready: ${(running.readyMs / 1000).toFixed(2)} s`);
    printMemory('distributed, RSS per process', memory, names);
  } finally {
    await removeDeployment(deployment);
    await rm(dataDir, { recursive: true, force: true });
  }
}
