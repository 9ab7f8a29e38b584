import { describe, expect, it } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import type { LinkVisited } from '@strata/links';
import { newId } from '@strata/shared-kernel';
import { foldVisit, hourOf, linkVisitStatsOf } from '../src/links/visit-stats/visit-rollup.ts';
import { VisitorSketch } from '../src/links/visit-stats/visitor-sketch.ts';

const fingerprint = () => randomBytes(32).toString('hex');

describe('the hourly visit rollup', () => {
  // Fixed fingerprints (hashes of their index), so a result is reproducible. The standard error is
  // 1.04/√1024 ≈ 3.25 %: large counts are held to three of it; a handful may lose one to a shared register.
  it('estimates distinct visitors within 10 % (one for a handful) from 10 to 50,000, counting a visitor again as one', () => {
    for (const distinct of [10, 100, 1_000, 50_000]) {
      const sketch = VisitorSketch.empty();
      const visitors = Array.from({ length: distinct }, (_, index) =>
        createHash('sha256').update(`visitor ${index}`).digest('hex'),
      );
      for (const visitor of [...visitors, ...visitors.slice(0, distinct / 2)]) sketch.add(visitor);
      const estimate = VisitorSketch.fromBase64(sketch.toBase64()).estimate();
      const allowed = Math.max(1, Math.ceil(distinct * 0.1));
      expect({ distinct, estimate, within: Math.abs(estimate - distinct) <= allowed }).toEqual({
        distinct,
        estimate: expect.any(Number),
        within: true,
      });
    }
  });

  it('merges hours into the span: a visitor of every hour is one visitor, not one per hour', () => {
    const linkId = newId();
    const regulars = Array.from({ length: 40 }, (_, index) =>
      createHash('sha256').update(`regular ${index}`).digest('hex'),
    );
    const visit = (
      visitedAt: string,
      visitorHash: string,
      extra: Partial<LinkVisited> = {},
    ): LinkVisited => ({
      visitId: newId(),
      linkId,
      slug: 'spring-sale',
      visitedAt,
      referrerHost: 'news.example.com',
      userAgentFamily: 'firefox',
      bot: false,
      visitorHash,
      ...extra,
    });
    let ten = null;
    let eleven = null;
    for (const visitor of regulars) {
      ten = foldVisit(ten, visit('2026-12-04T10:15:00.000Z', visitor));
      eleven = foldVisit(eleven, visit('2026-12-04T11:45:00.000Z', visitor));
    }
    eleven = foldVisit(
      eleven,
      visit('2026-12-04T11:50:00.000Z', fingerprint(), { bot: true, referrerHost: null }),
    );
    const stats = linkVisitStatsOf(linkId, [ten!, eleven!]);
    // The same 40 people both hours: the span's estimate is an hour's, not their sum (80).
    const perHour = stats.hours[0]!.uniqueVisitors;
    expect(Math.abs(perHour - 40)).toBeLessThanOrEqual(2);
    expect(stats).toMatchObject({ visits: 80, botVisits: 1, uniqueVisitors: perHour });
    expect(stats.hours.map((hour) => [hour.hour, hour.visits, hour.botVisits, hour.uniqueVisitors])).toEqual([
      ['2026-12-04T10:00:00.000Z', 40, 0, perHour],
      ['2026-12-04T11:00:00.000Z', 40, 1, perHour],
    ]);
    // Bots are counted apart: not among the referrers or browsers either.
    expect(stats.hours[1]!.referrerHosts).toEqual([{ host: 'news.example.com', visits: 40 }]);
    expect(stats.hours[1]!.browserFamilies).toEqual([{ family: 'firefox', visits: 40 }]);
    expect(hourOf('2026-12-04T23:59:59.999Z')).toBe('2026-12-04T23:00:00.000Z');
  });
});
