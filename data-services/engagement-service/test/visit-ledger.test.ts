import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { stackEndpoints } from '@strata/dev-stack';
import { newId } from '@strata/shared-kernel';
import { Redis } from 'ioredis';
import { decodeQueuedVisit, encodeQueuedVisit } from '../src/links/redirect/queued-visit.ts';
import { RedisVisitLedger } from '../src/links/redirect/visit-ledger.ts';

// ADR 0031: a visit to a link without a cap is answered before its commit. On the real Redis: it
// is still counted and queued, the wait for a commit is bounded (back-pressure), and while commits
// fail nothing more is answered ahead of them; the visits already answered are kept once Redis is back.

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

async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let waited = 0; !(await condition()); waited += 20) {
    if (waited > 30_000) throw new Error(`gave up waiting for ${what}`);
    await sleep(20);
  }
}

afterAll(async () => {
  const redis = connection();
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  for (const each of opened) each.disconnect();
});

describe('the visit ledger on Redis, for links without a cap', () => {
  it('counts and queues visits answered before their commit, and past a full commit makes the caller wait', async () => {
    const linkId = newId();
    const ledger = await RedisVisitLedger.open(connection(), connection(), prefix, 'ledger-test');
    const visits = Array.from({ length: 1_001 }, () => visitTo(linkId));
    // In one turn of the event loop: the first 1,000 are taken, the next must wait for its commit.
    const taken = visits.map((visit) => ledger.recordUncapped(linkId, visit));
    expect(taken.filter(Boolean)).toHaveLength(1_000);
    expect(taken[1_000]).toBe(false);
    expect(await ledger.record(linkId, null, visits[1_000]!)).toBe(1_000);

    const queued = await ledger.take(10, 0);
    expect(queued.flatMap((entry) => entry.visits).map((line) => decodeQueuedVisit(line).visitId)).toEqual(
      visits.map((line) => decodeQueuedVisit(line).visitId),
    );
    expect(await connection().get(`${prefix}links:visits:${linkId}`)).toBe('1001');
    await ledger.close();
  });

  it('answers nothing ahead of a failing Redis, and keeps the visits it had answered once Redis is back', async () => {
    const linkId = newId();
    const redis = connection();
    const ledger = await RedisVisitLedger.open(redis, connection(), prefix, 'ledger-test-failing');
    redis.disconnect();
    const answered = visitTo(linkId);
    expect(ledger.recordUncapped(linkId, answered)).toBe(true);
    // Its commit fails; from then on visits wait for their own, and fail with it.
    await until(
      async () => !ledger.recordUncapped(linkId, visitTo(linkId)),
      'the ledger to see commits fail',
    );
    await expect(ledger.record(linkId, null, visitTo(linkId))).rejects.toThrow();

    await redis.connect();
    await until(async () => ledger.recordUncapped(linkId, visitTo(linkId)), 'commits to succeed again');
    await ledger.close();
    const reader = connection();
    const entries = (await reader.xrange(`${prefix}links:visit-stream`, '-', '+')).flatMap(([, fields]) =>
      fields[1]!.split('\n'),
    );
    expect(entries).toContain(answered);
  });
});
