// bench:redirect's invalidation phase (issue 19: "disabling a link stops redirects on every
// instance within a second"): how long after a disable returned each of two redirect instances
// answers 410. The chain it times is the product's: the disable commits (with its outbox row) in
// engagement-service, the outbox relay publishes ShortLinkDisabled to Kafka, the one instance whose
// link events thread holds the link's partition drops the slug from Redis and PUBLISHes it, and each
// instance drops its local copy on that message; its next visit misses, asks engagement-service
// (findBySlug) and answers 410. Run by run.ts after the throughput rows, or alone:
//   node bench/redirect/invalidation.ts
// BENCH_REDIRECT_INVALIDATIONS (20): links per variant; 0 skips the phase.
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureDebianCommands } from '@strata/dev-stack';
import { topicFor } from '@strata/events';
import { kafkaClient } from '@strata/kafka';
import { linksContract } from '@strata/links/contract';
import { createContractClient, type ContractClient } from '@strata/rpc';
import { connectDataService, dataServiceEnvShape } from '@strata/runtime/plain-process';
import { newId, z } from '@strata/shared-kernel';
import { percentile } from '../shared/percentile.ts';
import { startWrk } from '../shared/wrk.ts';
import { openRedirectStage, VISITOR_HEADERS, type RedirectStage } from './stage.ts';

const COUNT = Number(process.env.BENCH_REDIRECT_INVALIDATIONS ?? 20);
/** Between one answer and the next request to the same instance; one request in flight each. */
const POLL_MS = 2;
/** The longest a wait for a 410 lasts; past it the wait is a failure, not a figure. */
const BOUND_MS = 10_000;
/** The load of the loaded variant: wrk's connections on the first instance, cache hits. */
const LOAD_CONNECTIONS = 32;
const GOAL_MS = 1_000;
const TARGET = 'https://learn.example.org/courses/ddd-in-typescript';
const INSTANCES = ['inv-1', 'inv-2'] as const;

type Links = ContractClient<typeof linksContract>;
type Caller = { service: string; userId: string; roles: string[] };
/** One instance's wait for one link: ms from the disable's return to its 410, or why there is none. */
type Wait = { readonly ms: number } | { readonly failure: string };
interface Variant {
  readonly name: string;
  readonly waits: Wait[][];
  note?: string;
}

interface Instance {
  readonly name: string;
  readonly url: string;
  /** Keep-alive, one socket: requests to an instance go one at a time, as a poller's would. */
  readonly agent: Agent;
}

/** One GET of `/<slug>`, redirects not followed: the status. */
function statusOf(instance: Instance, slug: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      new URL(`/${slug}`, instance.url),
      { agent: instance.agent, headers: VISITOR_HEADERS },
      (response) => {
        response.resume();
        response.once('end', () => resolve(response.statusCode ?? 0));
      },
    );
    outgoing.once('error', reject);
    outgoing.end();
  });
}

/** Polls until the instance answers 410; timed from `committed` (performance.now()) to that answer. */
async function until410(instance: Instance, slug: string, committed: number): Promise<Wait> {
  for (;;) {
    let status: number;
    try {
      status = await statusOf(instance, slug);
    } catch (error) {
      return { failure: `request failed: ${String(error)}` };
    }
    const ms = performance.now() - committed;
    if (status === 410) return { ms };
    if (status !== 302) return { failure: `answered ${status}` };
    if (ms >= BOUND_MS) return { failure: `still 302 after ${BOUND_MS} ms` };
    await sleep(POLL_MS);
  }
}

/** Warms both instances on the link (a 302 from each), disables it as studio-api would, times both. */
async function measureOne(
  links: Links,
  owner: Caller,
  instances: readonly Instance[],
  link: { id: string; slug: string },
): Promise<Wait[]> {
  for (const instance of instances) {
    const status = await statusOf(instance, link.slug);
    if (status !== 302) return instances.map(() => ({ failure: `warm-up answered ${status}` }));
  }
  await links.ShortLink.disable(link.id, {}, { caller: owner, correlationId: newId() });
  const committed = performance.now();
  return Promise.all(instances.map((instance) => until410(instance, link.slug, committed)));
}

/**
 * Until the instances' cache invalidation group is stable with both members and has consumed the
 * links topic to its end (every ShortLinkCreated so far handled): from then on a link event reaches
 * a member that reads it. Judged by Kafka, not by an invalidation, so a broken invalidation shows
 * as the measured waits failing rather than as a setup that never ends. Bounded at a minute.
 */
async function untilGroupCaughtUp(stage: RedirectStage, group: string, members: number): Promise<void> {
  const admin = kafkaClient({ brokers: stage.kafkaBrokers, clientId: 'bench-redirect-invalidation' }).admin();
  const topic = topicFor(linksContract.context, stage.run);
  await admin.connect();
  try {
    const until = Date.now() + 60_000;
    for (;;) {
      const [described] = (await admin.describeGroups([group])).groups;
      if (described?.state === 'Stable' && described.members.length === members) {
        const ends = await admin.fetchTopicOffsets(topic);
        const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
        const at = new Map(committed?.partitions.map(({ partition, offset }) => [partition, Number(offset)]));
        if (ends.every(({ partition, high }) => Math.max(at.get(partition) ?? -1, 0) >= Number(high))) return;
      }
      if (Date.now() > until)
        throw new Error(`the group ${group} never caught up with ${topic} with ${members} members`);
      await sleep(200);
    }
  } finally {
    await admin.disconnect();
  }
}

/**
 * Starts two redirect instances of a deployment of their own (one consumer group, one Redis
 * prefix), waits until their consumer group has caught up with the link events, then measures
 * COUNT links idle and COUNT links while wrk keeps the first instance busy, and prints the figures.
 */
export async function measureInvalidation(stage: RedirectStage): Promise<void> {
  if (COUNT <= 0) return;
  const deployment = `${stage.run}i`;
  const instances: Instance[] = [];
  for (const name of INSTANCES) {
    const { url } = await stage.startRedirect({
      instance: name,
      deployment,
      redisPrefix: `${stage.redisPrefix}inv:`,
    });
    instances.push({ name, url, agent: new Agent({ keepAlive: true, maxSockets: 1 }) });
  }
  // As studio-api reaches engagement-service: governance's invoker with the links contract's call
  // policy, over TCP (plaintext here, as the stage's listener), for a verified instructor.
  const connection = await connectDataService({
    service: 'engagement-service',
    contracts: [linksContract],
    env: z.object(dataServiceEnvShape).parse({ STRATA_REGISTRY: 'static', STRATA_RPC_PLAINTEXT: '1' }),
    staticAddress: stage.engagementAddress,
    logger: { warn: () => undefined },
  });
  let load: ReturnType<typeof startWrk> | undefined;
  try {
    const links = createContractClient(linksContract, {
      service: 'engagement-service',
      invoke: connection.invoke,
    });
    const owner: Caller = { service: 'studio-api', userId: newId(), roles: ['instructor'] };
    const create = () => links.ShortLink.create({ targetUrl: TARGET }, { caller: owner });
    // Every link first, so their ShortLinkCreated invalidations are behind us when the disables come.
    const measured: { id: string; slug: string }[] = [];
    for (let index = 0; index < 2 * COUNT; index += 1) measured.push(await create());
    const busy = await create();
    await untilGroupCaughtUp(stage, `${deployment}.link-redirect.cache`, instances.length);

    const variants: Variant[] = [];
    const run = async (name: string, from: number) => {
      const waits: Wait[][] = [];
      for (const link of measured.slice(from, from + COUNT)) {
        waits.push(await measureOne(links, owner, instances, link));
        await sleep(50);
      }
      variants.push({ name, waits });
    };
    await run('idle', 0);
    load = startWrk({
      url: `${instances[0]!.url}/${busy.slug}`,
      headers: VISITOR_HEADERS,
      connections: LOAD_CONNECTIONS,
      seconds: Math.ceil((COUNT * BOUND_MS) / 1_000) + 60,
    });
    await sleep(1_000);
    await run(`wrk on ${INSTANCES[0]}`, COUNT);
    const busyFigures = await load.stop();
    load = undefined;
    variants[1]!.note = `${variants[1]!.name}: wrk -t1 -c${LOAD_CONNECTIONS} kept ${INSTANCES[0]} busy with cache hits on another link while these links were disabled: ${Math.round(busyFigures.rps)} req/s, p99 ${busyFigures.p99.toFixed(1)} ms`;
    report(variants);
  } finally {
    await load?.stop().catch(() => undefined);
    await connection.close();
    for (const instance of instances) instance.agent.destroy();
  }
}

function report(variants: readonly Variant[]): void {
  console.log(
    `\nbench:redirect, invalidation — ms from a disable's return (committed; called as studio-api calls it) to the first 410 on each of two redirect instances, each polled every ${POLL_MS} ms with one request in flight; ${COUNT} links per variant, each wait bounded at ${BOUND_MS / 1_000} s`,
  );
  const width = Math.max(...variants.map(({ name }) => name.length), 8) + 2;
  console.log(
    'variant'.padEnd(width),
    'instance'.padEnd(9),
    'n'.padStart(4),
    'p50 ms'.padStart(8),
    'p95 ms'.padStart(8),
    'max ms'.padStart(8),
    ' failures',
  );
  const row = (variant: string, instance: string, waits: readonly Wait[]) => {
    const sorted = waits.flatMap((wait) => ('ms' in wait ? [wait.ms] : [])).sort((a, b) => a - b);
    const figure = (fraction: number) =>
      sorted.length === 0 ? '–' : percentile(sorted, fraction).toFixed(1);
    console.log(
      variant.padEnd(width),
      instance.padEnd(9),
      String(sorted.length).padStart(4),
      figure(0.5).padStart(8),
      figure(0.95).padStart(8),
      figure(1).padStart(8),
      ` ${waits.length - sorted.length}`,
    );
  };
  const goal = (label: string, waits: readonly Wait[]) => {
    const times = waits.flatMap((wait) => ('ms' in wait ? [wait.ms] : []));
    const max = times.length === 0 ? Number.NaN : Math.max(...times);
    const failures = waits.length - times.length;
    const met = failures === 0 && max <= GOAL_MS;
    const largest = times.length === 0 ? 'no 410 at all' : `max ${max.toFixed(1)} ms`;
    console.log(
      `goal${label}: within 1 s on every instance — ${met ? 'met' : 'not met'} (${largest}${
        failures === 0 ? '' : `; ${failures} of ${waits.length} waits failed`
      })`,
    );
  };
  const all: Wait[] = [];
  for (const { name, waits } of variants) {
    INSTANCES.forEach((instance, index) =>
      row(
        name,
        instance,
        waits.map((pair) => pair[index]!),
      ),
    );
    row(name, 'both', waits.flat());
    all.push(...waits.flat());
  }
  row('all', 'both', all);
  for (const { name, waits } of variants) {
    waits.forEach((pair, link) =>
      pair.forEach((wait, index) => {
        if ('failure' in wait)
          console.log(`failed: ${name}, link ${link + 1}, ${INSTANCES[index]}: ${wait.failure}`);
      }),
    );
  }
  for (const { note } of variants) if (note !== undefined) console.log(note);
  for (const { name, waits } of variants) goal(` (${name})`, waits.flat());
  goal('', all);
}

if (import.meta.main) {
  await ensureDebianCommands('bench-redirect', [{ command: 'wrk', debianPackage: 'wrk' }]);
  const stage = await openRedirectStage();
  try {
    await measureInvalidation(stage);
  } finally {
    await stage.close();
  }
}
