import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { stackEndpoints } from '@strata/dev-stack';
import { newId } from '@strata/shared-kernel';
import { Redis } from 'ioredis';
import { decodeQueuedVisit, encodeQueuedVisit } from '../src/links/redirect/queued-visit.ts';
import { RedisVisitLedger } from '../src/links/redirect/visit-ledger.ts';

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

const visitTo = (linkId: string) =>
  encodeQueuedVisit({
    visitId: newId(),
    linkId,
    linkVersion: 1,
    slug: 'spring-sale',
    visitedAt: new Date().toISOString(),
    referrerHost: null,
    userAgentFamily: 'firefox',
    bot: false,
    visitorHash: 'a'.repeat(64),
  });

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
    const visits = Array.from({ length: 1_001 }, () => visitTo(linkId));
    // In one turn of the event loop: more than one group commit's worth (1,000).
    const counts = await Promise.all(visits.map((visit) => ledger.record(linkId, null, visit)));
    expect(counts).toEqual(visits.map((_, index) => index));

    const queued = await ledger.take(10, 0);
    expect(queued.flatMap((entry) => entry.visits).map((line) => decodeQueuedVisit(line).visitId)).toEqual(
      visits.map((line) => decodeQueuedVisit(line).visitId),
    );
    expect(await connection().get(`${prefix}links:visits:${linkId}`)).toBe('1001');
    await ledger.close();
  });

  it('grants a capped link only what is left of its cap within one group commit, and queues exactly those visits', async () => {
    const linkId = newId();
    const ledger = await RedisVisitLedger.open(connection(), connection(), prefix, 'ledger-test-capped');
    const visits = Array.from({ length: 10 }, () => visitTo(linkId));
    // One turn: one commit, whose lines for the link are cut after the fourth.
    const counts = await Promise.all(visits.map((visit) => ledger.record(linkId, 4, visit)));
    expect(counts).toEqual(visits.map((_, index) => index));

    const queued = await ledger.take(10, 0);
    expect(queued.flatMap((entry) => entry.visits)).toEqual(visits.slice(0, 4));
    expect(await connection().get(`${prefix}links:visits:${linkId}`)).toBe('4');
    await ledger.close();
  });

  it('refuses visits while Redis is unreachable, and keeps them again once it is back', async () => {
    const linkId = newId();
    const redis = connection();
    const ledger = await RedisVisitLedger.open(redis, connection(), prefix, 'ledger-test-failing');
    redis.disconnect();
    await expect(ledger.record(linkId, null, visitTo(linkId))).rejects.toThrow();

    await redis.connect();
    const kept = visitTo(linkId);
    expect(await ledger.record(linkId, null, kept)).toBe(0);
    await ledger.close();
    const reader = connection();
    const entries = (await reader.xrange(`${prefix}links:visit-stream`, '-', '+')).flatMap(([, fields]) =>
      fields[1]!.split('\n'),
    );
    // The refused visit was never queued; the kept one once.
    expect(entries.filter((line) => decodeQueuedVisit(line).linkId === linkId)).toEqual([kept]);
  });
});
