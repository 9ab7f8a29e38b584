import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:net';
import { stackEndpoints } from '@strata/dev-stack';
import { newId } from '@strata/shared-kernel';
import { Redis } from 'ioredis';
import { visitJsonOf } from '../src/links/redirect/queued-visit.ts';
import { RedisVisitLedger } from '../src/links/redirect/redis-visit-ledger.ts';
import type { LedgerLink } from '../src/links/redirect/visit-ledger.ts';
import { redisProxy } from './redis-proxy.ts';

// ADR 0031: a visit is answered only once Redis has counted and queued it, so a crash loses no
// answered visit. On the real Redis: a burst in one turn shares group commits and every visit is
// counted and queued in arrival order; while Redis is unreachable nothing is answered as kept.

jest.setTimeout(60_000);

const prefix = `strata-test:ledger${randomBytes(4).toString('hex')}:`;
const opened: Redis[] = [];

function connection(): Redis {
  const redis = new Redis(stackEndpoints().redisUrl, { maxRetriesPerRequest: 2 });
  opened.push(redis);
  return redis;
}

const linkOf = (linkId: string, maxVisits: number | null) => ({
  linkId,
  version: 1,
  slug: 'spring-sale',
  maxVisits,
});

/** The ledger's answer for one visit, as a promise. */
const recorded = (ledger: RedisVisitLedger, link: LedgerLink, visit: string) =>
  new Promise<number>((resolve, reject) =>
    ledger.record(link, visit, (error, visitsSoFar) =>
      error === null ? resolve(visitsSoFar) : reject(error),
    ),
  );

const visitTo = () =>
  visitJsonOf({
    visitId: newId(),
    visitedAt: new Date().toISOString(),
    referrerHost: null,
    userAgentFamily: 'firefox',
    bot: false,
    visitorHash: 'a'.repeat(64),
  });

/**
 * A TCP proxy to Redis that loses one answer: once the client has sent a command naming
 * `commitMarker` (a group commit of that link), the next bytes Redis sends back (that commit's
 * answer) are dropped with both connections, as when a connection breaks after Redis ran a command
 * and before its answer arrived. Later connections pass.
 */
async function proxyLosingOneCommitAnswer(commitMarker: string): Promise<{
  url: string;
  answersLost: () => number;
  server: Server;
}> {
  let armed = false;
  let lost = 0;
  const { url, server } = await redisProxy({
    toRedis(chunk) {
      if (lost === 0 && chunk.includes(commitMarker)) armed = true;
    },
    fromRedis(_chunk, { client, upstream }) {
      if (!armed || lost > 0) return true;
      lost += 1;
      client.destroy();
      upstream.destroy();
      return false;
    },
  });
  return { url, answersLost: () => lost, server };
}

afterAll(async () => {
  const redis = connection();
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  for (const each of opened) each.disconnect();
});

describe('the visit ledger on Redis', () => {
  it('answers each visit of a burst with its count once it is kept, and queues them all in arrival order', async () => {
    const linkId = newId();
    const ledger = await RedisVisitLedger.open(connection(), connection(), prefix, 'ledger-test');
    const link = linkOf(linkId, null);
    const visits = Array.from({ length: 1_001 }, visitTo);
    // In one turn of the event loop: more than one group commit's worth (1,000).
    const counts = await Promise.all(visits.map((visit) => recorded(ledger, link, visit)));
    expect(counts).toEqual(visits.map((_, index) => index));

    const queued = await ledger.take(10, 0);
    const batches = queued.flatMap((entry) => entry.batches);
    expect(batches.map((batch) => [batch.linkId, batch.linkVersion, batch.slug, batch.count])).toEqual([
      [linkId, 1, 'spring-sale', 1_000],
      [linkId, 1, 'spring-sale', 1],
    ]);
    expect(batches.map((batch) => batch.visits.toString()).join(',')).toBe(visits.join(','));
    expect(await connection().get(`${prefix}links:visits:${linkId}`)).toBe('1001');
    await ledger.close();
  });

  it('grants a capped link only what is left of its cap within one group commit, and queues exactly those visits', async () => {
    const linkId = newId();
    const ledger = await RedisVisitLedger.open(connection(), connection(), prefix, 'ledger-test-capped');
    const link = linkOf(linkId, 4);
    const visits = Array.from({ length: 10 }, visitTo);
    // One turn: one commit, whose visits of the link are cut after the fourth.
    const counts = await Promise.all(visits.map((visit) => recorded(ledger, link, visit)));
    expect(counts).toEqual(visits.map((_, index) => index));

    const queued = await ledger.take(10, 0);
    const batches = queued.flatMap((entry) => entry.batches);
    expect(batches.map((batch) => [batch.count, batch.visits.toString()])).toEqual([
      [4, visits.slice(0, 4).join(',')],
    ]);
    expect(await connection().get(`${prefix}links:visits:${linkId}`)).toBe('4');
    await ledger.close();
  });

  it('takes the lines an instance older than ADR 0061 queued as batches of one', async () => {
    const own = `${prefix}legacy:`;
    const linkId = newId();
    const visitId = newId();
    const visitedAt = new Date().toISOString();
    const line = [visitId, linkId, 2, 'spring-sale', visitedAt, '', 'firefox', 0, 'a'.repeat(64)].join('\t');
    const ledger = await RedisVisitLedger.open(connection(), connection(), own, 'ledger-test-legacy');
    await connection().xadd(`${own}links:visit-stream`, '*', 'v', line);

    const batches = (await ledger.take(10, 0)).flatMap((entry) => entry.batches);
    expect(batches.map((batch) => [batch.linkId, batch.linkVersion, batch.count])).toEqual([[linkId, 2, 1]]);
    expect(JSON.parse(batches[0]!.visits.toString())).toEqual({
      visitId,
      visitedAt,
      referrerHost: null,
      userAgentFamily: 'firefox',
      bot: false,
      visitorHash: 'a'.repeat(64),
    });
    await ledger.close();
  });

  it('remembers only its last group commit for a repeat: one key, however many commits it made', async () => {
    const linkId = newId();
    const own = `${prefix}memory:`;
    const ledger = await RedisVisitLedger.open(connection(), undefined, own, 'ledger-test-memory');
    // Awaited one by one: five commits.
    for (let commit = 0; commit < 5; commit += 1) await recorded(ledger, linkOf(linkId, null), visitTo());
    expect(await connection().get(`${own}links:visits:${linkId}`)).toBe('5');
    expect(await connection().keys(`${own}links:commit:*`)).toHaveLength(1);
    await ledger.close();
  });

  it('counts a group commit once when its answer is lost and ioredis sends it again after reconnecting', async () => {
    const linkId = newId();
    // Redis has the script already, so the commit goes as EVALSHA and its first answer is the one lost.
    const warm = await RedisVisitLedger.open(connection(), undefined, prefix, 'ledger-test-warm');
    await recorded(warm, linkOf(newId(), null), visitTo());
    const proxy = await proxyLosingOneCommitAnswer(`links:visits:${linkId}`);
    const redis = new Redis(proxy.url, { maxRetriesPerRequest: 2 });
    opened.push(redis);
    try {
      const ledger = await RedisVisitLedger.open(redis, undefined, prefix, 'ledger-test-resent');
      const link = linkOf(linkId, 100);
      const visits = Array.from({ length: 3 }, visitTo);
      const counts = await Promise.all(visits.map((visit) => recorded(ledger, link, visit)));

      expect(proxy.answersLost()).toBe(1);
      expect(counts).toEqual([0, 1, 2]);
      expect(await connection().get(`${prefix}links:visits:${linkId}`)).toBe('3');
      const queued = (await connection().xrange(`${prefix}links:visit-stream`, '-', '+')).flatMap(
        ([, fields]) => fields,
      );
      expect(queued.filter((value) => value === visits.join(','))).toHaveLength(1);
      await ledger.close();
    } finally {
      redis.disconnect();
      proxy.server.close();
    }
  });

  it('refuses visits while Redis is unreachable, and keeps them again once it is back', async () => {
    const linkId = newId();
    const redis = connection();
    const ledger = await RedisVisitLedger.open(redis, connection(), prefix, 'ledger-test-failing');
    redis.disconnect();
    const link = linkOf(linkId, null);
    const refused = visitTo();
    await expect(recorded(ledger, link, refused)).rejects.toThrow();

    await redis.connect();
    const kept = visitTo();
    expect(await recorded(ledger, link, kept)).toBe(0);
    await ledger.close();
    const reader = connection();
    const queued = (await reader.xrange(`${prefix}links:visit-stream`, '-', '+')).flatMap(
      ([, fields]) => fields,
    );
    // The refused visit was never queued; the kept one once.
    expect(queued.filter((value) => value.includes(refused))).toEqual([]);
    expect(queued.filter((value) => value.includes(kept))).toEqual([kept]);
  });
});
