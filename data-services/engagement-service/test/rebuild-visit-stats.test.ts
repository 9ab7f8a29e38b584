import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import {
  createEngagementService,
  foldVisit,
  linkVisitHourRecordSchema,
  linkVisitsTopicFor,
  rebuildLinkVisitStats,
  visitRollupConsumerGroup,
  VisitStatsRebuildRefused,
  type EngagementService,
  type LinkVisitHourRecord,
} from '@strata/engagement-service';
import {
  envelopeToMessage,
  KafkaEventBroker,
  KafkaEventConsumer,
  topicFor,
  type BrokerMessage,
  type EventEnvelope,
} from '@strata/events';
import type { LinkVisited, LinkVisitsRecorded, UserAgentFamily } from '@strata/links';
import { uniqueService } from '@strata/persistence/test-support';
import { mariaDbDataService, type RunningDataService } from '@strata/runtime/test-support';
import { newId } from '@strata/shared-kernel';

// Issue 19: visit statistics "built by a consumer from the visit events, rebuildable by replay".
// Visits go to the topics of a namespace of this run, as the redirect path ships them: one link's
// as LinkVisitsRecorded batches on the visits' own topic (ADR 0031, 0063; some visits shipped again
// in batches cut differently), the other's as LinkVisited, one visit a message (envelope id = visit
// id, some shipped twice) on the links topic, as they left before and still sit on older topics;
// then visits an older instance shipped on the links topic, and some shipped again on the other
// topic (a rolling upgrade). engagement-service's own consumer (processor, inbox, handler) builds
// link_visit_hours on MariaDB; the rebuild (function, then the operator's command) must give the
// very same rows, and repair rows the live side lost or got wrong.

jest.setTimeout(180_000);

const brokers = ['127.0.0.1:9092'];
const namespace = `lnkstats${randomBytes(3).toString('hex')}`;
const topic = topicFor('links', namespace);
const visitsTopic = linkVisitsTopicFor(namespace);
const FAMILIES: UserAgentFamily[] = ['chrome', 'firefox', 'safari', 'edge'];

/** One visit as the redirect path queues it: its envelope, keyed by the link. */
function visitOf(
  linkId: string,
  slug: string,
  at: Date,
  index: number,
): { visit: LinkVisited; message: BrokerMessage } {
  const visitId = newId();
  const visit: LinkVisited = {
    visitId,
    linkId,
    slug,
    visitedAt: at.toISOString(),
    // 25 sites send visits to the first hour: more than a row names (20), the rest under (other).
    referrerHost: index % 7 === 0 ? null : `site-${index % 25}.example.org`,
    userAgentFamily: FAMILIES[index % FAMILIES.length]!,
    bot: index % 9 === 0,
    // 12 different visitors, coming back.
    visitorHash: randomBytesFor(index % 12),
  };
  const envelope: EventEnvelope = {
    id: visitId,
    type: 'LinkVisited',
    schemaVersion: 1,
    aggregateType: 'ShortLink',
    aggregateId: linkId,
    aggregateVersion: 1,
    occurredAt: visit.visitedAt,
    correlationId: visitId,
    causationId: null,
    traceparent: null,
    tracestate: null,
    payload: visit,
  };
  return { visit, message: envelopeToMessage(topic, envelope) };
}

/**
 * Visits of one link as the redirect path now ships them: one LinkVisitsRecorded, a new envelope
 * id, on the visits' topic (on the links topic: as an instance older than ADR 0063 shipped them).
 */
function recordedOf(
  visits: readonly LinkVisited[],
  on = visitsTopic,
): { visits: LinkVisited[]; message: BrokerMessage } {
  const id = newId();
  const [first] = visits;
  const envelope: EventEnvelope<LinkVisitsRecorded> = {
    id,
    type: 'LinkVisitsRecorded',
    schemaVersion: 1,
    aggregateType: 'ShortLink',
    aggregateId: first!.linkId,
    aggregateVersion: 1,
    occurredAt: visits[visits.length - 1]!.visitedAt,
    correlationId: id,
    causationId: null,
    traceparent: null,
    tracestate: null,
    payload: {
      linkId: first!.linkId,
      slug: first!.slug,
      visits: visits.map(({ linkId: _linkId, slug: _slug, ...visit }) => visit),
    },
  };
  return { visits: [...visits], message: envelopeToMessage(on, envelope) };
}

const visitorHashes = Array.from({ length: 12 }, () => randomBytes(32).toString('hex'));
const randomBytesFor = (visitor: number) => visitorHashes[visitor]!;

/** What the rollup must hold: every distinct visit folded once, in its link's order. */
function expectedRows(visits: readonly LinkVisited[]): LinkVisitHourRecord[] {
  const rows = new Map<string, LinkVisitHourRecord>();
  const seen = new Set<string>();
  for (const visit of visits) {
    if (seen.has(visit.visitId)) continue;
    seen.add(visit.visitId);
    const id = `${visit.linkId}/${new Date(Math.floor(Date.parse(visit.visitedAt) / 3_600_000) * 3_600_000).toISOString()}`;
    rows.set(id, foldVisit(rows.get(id) ?? null, visit));
  }
  return [...rows.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
}

describe("link_visit_hours rebuilt by replaying the links' topics equals the live rollup (MariaDB, Kafka)", () => {
  const service = uniqueService('lnkstats');
  const producer = new KafkaEventBroker({ brokers, clientId: `${namespace}-redirect` });
  let engagement: RunningDataService<EngagementService>;
  let consumers: KafkaEventConsumer[] = [];
  const links = [
    { id: newId(), slug: 'spring-sale' },
    { id: newId(), slug: 'autumn-sale' },
  ];
  /** Every visit as often as it was shipped, in the order shipped. */
  const published: LinkVisited[] = [];
  let messages = 0;

  const rows = async (): Promise<LinkVisitHourRecord[]> =>
    (
      await engagement.service.database
        .em()
        .fork()
        .find(linkVisitHourRecordSchema, {}, { orderBy: { id: 'asc' } })
    ).map((row) => ({ ...row }));
  // Every visit id the live consumer has handled is in its inbox (besides batches' envelope ids).
  const handled = async () => {
    const [row] = await engagement.service.database
      .em()
      .execute<{ n: number | string }[]>(
        `select count(*) as n from inbox where consumer_group = ? and event_id in (${[...new Set(published.map((visit) => visit.visitId))].map(() => '?').join(', ')})`,
        [visitRollupConsumerGroup(namespace), ...new Set(published.map((visit) => visit.visitId))],
      );
    return Number(row?.n);
  };
  const untilHandled = async (count: number) => {
    for (let waited = 0; (await handled()) < count; waited += 250) {
      if (waited > 90_000)
        throw new Error(`the live consumer handled ${await handled()} of ${count} in 90 s`);
      await sleep(250);
    }
  };
  const publish = async (
    batch: { visit?: LinkVisited; visits?: LinkVisited[]; message: BrokerMessage }[],
  ) => {
    await producer.publish(batch.map(({ message }) => message));
    for (const { visit, visits } of batch) published.push(...(visits ?? [visit!]));
    messages += batch.length;
  };

  beforeAll(async () => {
    engagement = await mariaDbDataService(
      (options) => createEngagementService({ ...options, shortDomain: 'strata.link' }),
      service,
      { eventNamespace: namespace },
    );
    // As serveDataService runs it in distributed mode: the service's consumer group on Kafka.
    consumers = engagement.service.consumers.map(
      (consumer) =>
        new KafkaEventConsumer({
          brokers,
          clientId: `${namespace}-engagement`,
          topics: [...consumer.topics],
          processor: consumer.processor,
        }),
    );
    // The first publish makes the topic the consumer subscribes to.
    await publish([visitOf(links[0]!.id, links[0]!.slug, new Date('2026-12-04T09:59:00.000Z'), 1)]);
    for (const consumer of consumers) await consumer.start();
  });

  afterAll(async () => {
    for (const consumer of consumers) await consumer.stop();
    await producer.close();
    await engagement?.stop();
  });

  it('rebuilds the live rows exactly, repairs a corrupted and a lost row, refuses rows it cannot account for, and the command does the same', async () => {
    // Two links, two hours each; every fifth visit shipped twice (a shipper that lost an ack): the
    // first link's one visit a message, the second's in batches of 20, shipped again cut otherwise.
    const batch = links.flatMap((link, which) =>
      Array.from({ length: 60 }, (_, index) =>
        visitOf(
          link.id,
          link.slug,
          new Date(Date.parse('2026-12-04T10:00:00.000Z') + index * 110_000 + which),
          index,
        ),
      ),
    );
    const single = batch.filter(({ visit }) => visit.linkId === links[0]!.id);
    const batched = batch.filter(({ visit }) => visit.linkId === links[1]!.id).map(({ visit }) => visit);
    await publish([
      ...single,
      ...single.filter((_, index) => index % 5 === 0),
      ...[0, 20, 40].map((from) => recordedOf(batched.slice(from, from + 20))),
      recordedOf(batched.filter((_, index) => index % 5 === 0)),
      recordedOf(batched.slice(15, 25)),
    ]);
    const distinct = new Set(published.map((visit) => visit.visitId)).size;
    await untilHandled(distinct);

    const live = await rows();
    expect(live).toEqual(expectedRows(published));
    expect(live.map((row) => row.id.split('/')[1])).toContain('2026-12-04T11:00:00.000Z');
    const busy = live.find((row) => row.id === `${links[0]!.id}/2026-12-04T10:00:00.000Z`)!;
    expect(Object.keys(JSON.parse(busy.referrerHosts))).toContain('(other)');

    // The live side goes wrong: one row's counts are off, one row is lost.
    const [corrupted, lost] = [live[1]!.id, live[2]!.id];
    const corrupt = async () => {
      await engagement.service.database
        .em()
        .execute('update link_visit_hours set visits = 999, referrer_hosts = ? where id = ?', [
          '{}',
          corrupted,
        ]);
      await engagement.service.database.em().execute('delete from link_visit_hours where id = ?', [lost]);
    };
    await corrupt();
    expect(await rows()).not.toEqual(live);

    const outcome = await rebuildLinkVisitStats({
      database: engagement.service.database,
      brokers,
      namespace,
    });
    expect(outcome).toEqual({
      read: messages,
      visits: distinct,
      repeated: published.length - distinct,
      skipped: 0,
      failed: 0,
      rows: live.length,
      changed: [corrupted],
      added: [lost],
      dropped: [],
      failures: [],
    });
    expect(await rows()).toEqual(live);

    // The operator's command, from the environment engagement-service's main.ts reads.
    await corrupt();
    const run = await rebuildCommand({
      STRATA_DATABASE_SERVICE: service,
      STRATA_KAFKA_BROKERS: brokers.join(','),
      STRATA_EVENT_NAMESPACE: namespace,
    });
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout).toContain(`; ${live.length} link-hours; 1 corrected, 1 added, 0 dropped.`);
    expect(await rows()).toEqual(live);

    // The live consumer still folds into the rebuilt rows, and a visit shipped again counts once,
    // on either topic: an older instance's batch on the links topic (an hour of its own, so both
    // sides fold each row's visits in one order), and the first link's visits shipped again on the
    // visits' topic by a newer instance that took over their queue entry.
    await publish([
      recordedOf([
        visitOf(links[1]!.id, links[1]!.slug, new Date('2026-12-04T11:30:00.000Z'), 3).visit,
        batched[7]!,
      ]),
      batch[4]!,
      recordedOf(
        [visitOf(links[1]!.id, links[1]!.slug, new Date('2026-12-04T12:05:00.000Z'), 4).visit],
        topic,
      ),
      recordedOf(single.slice(0, 5).map(({ visit }) => visit)),
    ]);
    await untilHandled(distinct + 2);
    await sleep(500);
    expect(await rows()).toEqual(expectedRows(published));

    // A row no visit on the topic accounts for is not silently deleted.
    const before = await rows();
    await engagement.service.database.em().execute(
      `insert into link_visit_hours (id, link_id, hour, visits, bot_visits, visitor_sketch, referrer_hosts, browser_families)
         values (?, ?, '2026-01-01T00:00:00.000Z', 1, 0, '', '{}', '{}')`,
      [`${links[0]!.id}/2026-01-01T00:00:00.000Z`, links[0]!.id],
    );
    await expect(
      rebuildLinkVisitStats({ database: engagement.service.database, brokers, namespace }),
    ).rejects.toBeInstanceOf(VisitStatsRebuildRefused);
    expect(await rows()).toHaveLength(before.length + 1);
    const dropped = await rebuildLinkVisitStats({
      database: engagement.service.database,
      brokers,
      namespace,
      dropUnheard: true,
    });
    expect(dropped.dropped).toEqual([`${links[0]!.id}/2026-01-01T00:00:00.000Z`]);
    expect(await rows()).toEqual(before);
  });
});

const rebuildMain = fileURLToPath(new URL('../src/rebuild-visit-stats-main.ts', import.meta.url));

/** `npm run links:rebuild-visit-stats` as an operator runs it, with this environment added. */
function rebuildCommand(
  env: Record<string, string>,
  args: string[] = [],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [rebuildMain, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
