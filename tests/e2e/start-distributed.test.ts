import { afterAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stackEndpoints } from '@strata/dev-stack';
import { BullMqJobs, jobQueuePrefix } from '@strata/jobs/bullmq';
import { databaseNameFor } from '@strata/persistence';
import { EtcdRegistry } from '@strata/rpc';
import { createConnection } from 'mysql2/promise';
import { abuseSeed, ABUSE_BOUNDS, expectNoFindings } from './abuse/abuse-expectations.ts';
import { runAbuse, summaryLine } from './abuse/abuse-run.ts';
import { call } from './http.ts';
import { expectCleanStop, isAlive, startPlatform, stopPlatform, type Platform } from './platform-process.ts';
import { runCheckoutJourney, simulatorUrlOf } from './checkout-journey.ts';
import { runLearningJourney } from './learning-journey.ts';
import { runLinksJourney, shortLinkUrlsOf } from './links-journey.ts';
import { learnerApiInstancesOf, runPushJourney, viaGateway, type PushPlace } from './push-journey.ts';
import { runSliceJourney } from './slice-journey.ts';

// `npm run start:distributed` as a developer runs it, on the real dev stack (MariaDB, Redis, Kafka,
// etcd): every service its own process, two commerce-service and two learner-api instances, two
// gateways. A deployment
// name of its own keeps this run's schemas, registry entries, Redis keys and consumer groups apart
// from anything else on the same stack.

// A bound on a hung start and the abuse run on a busy 2-core machine (ten processes, three of
// them NestJS), not a performance claim.
const STARTUP_BOUND_MS = 420_000;
const deployment = `e2e${randomBytes(4).toString('hex')}`;
const dataServices = ['identity-service', 'commerce-service', 'learning-service', 'engagement-service'];

describe('npm run start:distributed (every service its own process)', () => {
  let dataDir: string;
  let running: Platform | undefined;
  let pids: { name: string; pid: number }[] = [];
  const registry = new EtcdRegistry({
    hosts: stackEndpoints().etcdHosts,
    prefix: `/strata/${deployment}/services`,
  });

  const instances = async (service: string) => (await registry.instances(service)).length;

  afterAll(async () => {
    // Only when a test failed before stopping the platform itself.
    if (running !== undefined && running.child.exitCode === null && running.child.signalCode === null) {
      await stopPlatform(running);
    }
    await registry.close();
    const { mysql } = stackEndpoints();
    const connection = await createConnection({ ...mysql });
    for (const service of dataServices) {
      await connection.query(`drop database if exists \`${databaseNameFor(`${deployment}_${service}`)}\``);
    }
    await connection.end();
    // The data services' recurring housekeeping outlives them in Redis by design; not this run's.
    for (const service of dataServices) {
      const queue = new BullMqJobs({
        redisUrl: stackEndpoints().redisUrl,
        prefix: jobQueuePrefix(deployment),
        queue: service,
      });
      await queue.cancel('strata-housekeeping');
      await queue.close();
    }
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  });

  it(
    'runs the slice journey through both gateways, shares rate limits between them, and withstands the abuse suite',
    async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'strata-e2e-distributed-'));
      running = await startPlatform('start:distributed', {
        STRATA_PORT: '0',
        STRATA_DATA_DIR: dataDir,
        STRATA_DEPLOYMENT: deployment,
        // Two learner-api instances: a learner's notifications reach whichever holds their connection.
        STRATA_INSTANCES: 'commerce-service=2,gateway=2,learner-api=2',
        // A heartbeat of a second: the push journey's socket that stops reading is cut within seconds.
        STRATA_PUSH_HEARTBEAT_SECONDS: '1',
      });
      const output = running.output();
      expect(running.gateways).toHaveLength(2);
      expect(output).toMatch(/Demo data: 3 published courses \(seeded now: /);
      expect(output).not.toMatch(/Not hosted yet/);
      expect(output).toMatch(
        /Short links: http:\/\/127\.0\.0\.1:\d+\/<slug>, http:\/\/127\.0\.0\.1:\d+\/<slug>/,
      );
      pids = [...output.matchAll(/^ {2}(\S+) +pid (\d+) /gm)].map((match) => ({
        name: match[1]!,
        pid: Number(match[2]),
      }));
      expect(pids.map(({ name }) => name).sort()).toEqual([
        'account-api#1',
        'commerce-service#1',
        'commerce-service#2',
        'engagement-service#1',
        'gateway#1',
        'gateway#2',
        'identity-service#1',
        'learner-api#1',
        'learner-api#2',
        'learning-service#1',
        'link-redirect#1',
        'link-redirect#2',
        'payment-simulator',
        'studio-api#1',
      ]);
      expect(output).toMatch(/Payment simulator: http:\/\/127\.0\.0\.1:\d+ /);

      // What the gateways route by: every service instance found in etcd, none listed by hand.
      expect(await instances('commerce-service')).toBe(2);
      expect(await instances('learner-api')).toBe(2);
      for (const service of [
        'identity-service',
        'learning-service',
        'engagement-service',
        'account-api',
        'studio-api',
      ]) {
        expect(await instances(service)).toBe(1);
      }

      const [first, second] = running.gateways as [string, string];
      await runSliceJourney(first);
      await runSliceJourney(second);
      await runCheckoutJourney(second, simulatorUrlOf(output));
      await runLearningJourney(first, simulatorUrlOf(output));
      // Both redirect instances; the gateways' public address is not known to the apps with STRATA_PORT=0.
      await runLinksJourney(second, shortLinkUrlsOf(output));

      // Operators see every data service's job queue (housekeeping scheduled) on a gateway's admin API.
      const adminUrl = /gateway#2 .* admin (http:\/\/\S+)/.exec(output)![1]!;
      const adminToken = (
        await readFile(join(dataDir, `distributed-${deployment}`, 'gateway-admin-token'), 'utf8')
      ).trim();
      const jobs = await call(adminUrl, 'GET', '/jobs', { token: adminToken });
      expect(jobs.status).toBe(200);
      for (const service of dataServices) {
        const { stats, failures } = jobs.body[service];
        expect({ service, failed: stats.failed, failures }).toEqual({ service, failed: 0, failures: [] });
        // Its next housekeeping run, whichever state it is in at this moment.
        expect(stats.waiting + stats.delayed + stats.active).toBeGreaterThanOrEqual(1);
      }

      const docs = await fetch(`${second}/docs/`);
      expect(docs.status).toBe(200);
      expect(await docs.text()).toMatch(/commerce-service/);

      // One budget per client across both gateways (Redis GCRA): a burst spread over the two is cut
      // where one budget ends, and both gateways refuse once it has. Per-gateway limits would let it all through.
      // The requests alternate one at a time: sent all at once, one gateway's twenty could all be
      // counted before the other's, and only the later gateway would be seen refusing.
      const burst = 40;
      const burstStarted = Date.now();
      const answers: {
        gateway: string;
        status: number;
        retryAfter: string | null;
        contentType: string | null;
      }[] = [];
      for (let index = 0; index < burst; index += 1) {
        const gateway = index % 2 === 0 ? first : second;
        const response = await fetch(`${gateway}/api/account/.well-known/jwks.json`);
        await response.arrayBuffer();
        answers.push({
          gateway,
          status: response.status,
          retryAfter: response.headers.get('retry-after'),
          contentType: response.headers.get('content-type'),
        });
      }
      const refused = answers.filter((answer) => answer.status === 429);
      expect(answers.filter((answer) => answer.status === 200).length + refused.length).toBe(burst);
      expect(new Set(refused.map((answer) => answer.gateway))).toEqual(new Set([first, second]));
      expect(refused.every((answer) => Number(answer.retryAfter) > 0)).toBe(true);
      expect(refused.every((answer) => answer.contentType?.startsWith('application/problem+json'))).toBe(
        true,
      );
      // The route's budget is 30 a minute for both gateways together, one more every 2 s while the
      // burst lasts; two per-gateway budgets would have let all 40 through. (How much of it the
      // journeys above left depends on how long they took.)
      expect(burst - refused.length).toBeLessThanOrEqual(
        30 + Math.floor((Date.now() - burstStarted) / 2_000),
      );

      // The abuse suite on this already started platform (a second distributed start beside this
      // one would be too heavy for the machine): every client address its own, so the budget spent
      // above is not theirs.
      const seed = abuseSeed();
      const report = await runAbuse({ port: Number(new URL(first).port), seed, ...ABUSE_BOUNDS });
      console.log(summaryLine('distributed', seed, report));
      expectNoFindings(report);
    },
    STARTUP_BOUND_MS,
  );

  it('pushes notifications live across two learner-api instances behind two gateways: resumed elsewhere with nothing missed or repeated, past a stalled client; a socket that stops reading is cut with a reason', async () => {
    const output = running!.output();
    const [first, second] = running!.gateways as [string, string];
    // Straight to each instance (from the banner) where the test must know which one holds the
    // connection; through the gateways, which spread the rest over both.
    const [one, two] = learnerApiInstancesOf(output) as [PushPlace, PushPlace];
    expect([one.label, two.label]).toEqual(['learner-api#1', 'learner-api#2']);
    const [gateway1, gateway2] = [viaGateway(first, 'gateway#1'), viaGateway(second, 'gateway#2')];
    await runPushJourney(first, simulatorUrlOf(output), [
      { transport: 'sse', before: two, after: one },
      { transport: 'ws', before: one, after: two },
      { transport: 'sse', before: gateway1, after: gateway2 },
      { transport: 'ws', before: gateway2, after: gateway1 },
    ]);
  }, 120_000);

  it(
    'stops every process on Ctrl-C',
    async () => {
      const stopped = await stopPlatform(running!);
      expectCleanStop(stopped);
      expect(stopped.output).toMatch(/Strata stopped cleanly \(14 processes\)/);
      for (const { name, pid } of pids) expect({ name, alive: isAlive(pid) }).toEqual({ name, alive: false });
      for (const service of [...dataServices, 'account-api', 'studio-api', 'learner-api']) {
        expect({ service, instances: await instances(service) }).toEqual({ service, instances: 0 });
      }
    },
    STARTUP_BOUND_MS,
  );
});
