import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { topicFor } from '@strata/events';
import { newId } from '@strata/shared-kernel';
import { setTimeout as sleep } from 'node:timers/promises';
import { RedirectWorld } from './redirect-world.ts';

// Real MariaDB, Redis and Kafka on a shared 2-core machine; bounds on a hung step, not speed claims.
jest.setTimeout(120_000);

describe('the short domain: two redirect instances on Redis and Kafka, engagement-service on MariaDB', () => {
  const world = new RedirectWorld();

  beforeAll(async () => {
    await world.start();
  });

  afterAll(async () => {
    await world.stop();
  });

  it('redirects a new link with 302 on both instances, answers 404 for an unknown slug, and ships each visit once to the visits topic, which their cache invalidation does not read', async () => {
    const owner = world.person();
    const link = await world.links.ShortLink.create(
      { targetUrl: 'https://learn.example.org/courses/ddd?ref=share', slug: `Share-${newId().slice(0, 8)}` },
      { caller: owner },
    );
    const chrome = {
      'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36',
      referer: 'https://news.example.com/a?q=1',
    };
    expect(await world.visit(0, link.slug.toUpperCase(), chrome)).toEqual({
      status: 302,
      location: 'https://learn.example.org/courses/ddd?ref=share',
    });
    expect((await world.visit(1, link.slug, chrome)).status).toBe(302);
    expect((await world.visit(0, `nobody-${newId().slice(0, 8)}`)).status).toBe(404);
    expect((await world.visit(1, 'no/such/path')).status).toBe(404);
    await world.until(() => (world.visits.get(link.id)?.length ?? 0) >= 2, 'two visits on the topic');
    await sleep(500);
    const ids = world.visits.get(link.id)!;
    expect(new Set(ids).size).toBe(2);
    // Both instances' invalidations read the links' events, and never fetch the visits (ADR 0063).
    expect(await world.cacheInvalidationTopics()).toEqual([topicFor('links', world.namespace)]);
  });

  it('grants exactly 100 of 1,000 concurrent visits to a link of 100 visits, spread over both instances, and ships exactly those 100', async () => {
    const owner = world.person();
    const link = await world.links.ShortLink.create(
      { targetUrl: 'https://learn.example.org/campaign', maxVisits: 100 },
      { caller: owner },
    );
    const answers = await Promise.all(
      Array.from({ length: 1_000 }, (_, index) => world.visit(index % 2, link.slug)),
    );
    const byStatus = (status: number) => answers.filter((answer) => answer.status === status).length;
    expect({ redirected: byStatus(302), gone: byStatus(410) }).toEqual({ redirected: 100, gone: 900 });
    // Each instance was asked 500 times: a count of its own would have granted 100 on each. Which
    // instance's group commit reaches Redis first is timing (one commit may hold a whole burst).
    expect(
      world.instances.reduce((sum, instance) => sum + instance.server.counters.redirects, 0),
    ).toBeGreaterThanOrEqual(100);
    await world.until(() => new Set(world.visits.get(link.id) ?? []).size >= 100, '100 visits on the topic');
    await sleep(1_000);
    expect(new Set(world.visits.get(link.id)).size).toBe(100);
    // Used up stays used up, everywhere.
    for (const index of [0, 1]) expect((await world.visit(index, link.slug)).status).toBe(410);
  });

  it("answers 410 on both instances once a disable's event reached their caches, and 302 again once enabled", async () => {
    const owner = world.person();
    const link = await world.links.ShortLink.create(
      { targetUrl: 'https://example.org/promo' },
      { caller: owner },
    );
    for (const index of [0, 1, 0, 1]) expect((await world.visit(index, link.slug)).status).toBe(302);
    await world.links.ShortLink.disable(link.id, {}, { caller: owner });
    // The shared cache would keep the enabled link for SHARED_TTL_MS (5 minutes): a 410 within the
    // wait below can only come from the event's invalidation. How soon it comes is the machine's
    // (outbox relay, Kafka, the instances' consumers), not asserted here.
    for (const index of [0, 1]) {
      await world.until(
        async () => (await world.visit(index, link.slug)).status === 410,
        `410 on instance ${index + 1}`,
        10_000,
      );
    }
    await world.links.ShortLink.enable(link.id, {}, { caller: owner });
    for (const index of [0, 1]) {
      await world.until(
        async () => (await world.visit(index, link.slug)).status === 302,
        `302 again on instance ${index + 1}`,
        10_000,
      );
    }
  });

  it('redirects a link until its expiry and answers 410 on both instances from then on', async () => {
    const owner = world.person();
    // A minute's life holds the create and two visits however a loaded machine stalls them; then
    // the instances' clock is moved to the expiry. This world runs no expiry sweep: each 410 is the
    // instance's own comparison of the expiry with its clock.
    const expiresAt = new Date(Date.now() + 60_000);
    const link = await world.links.ShortLink.create(
      { targetUrl: 'https://example.org/flash-sale', expiresAt: expiresAt.toISOString() },
      { caller: owner },
    );
    for (const index of [0, 1]) expect((await world.visit(index, link.slug)).status).toBe(302);
    world.redirectClock.advanceTo(expiresAt);
    for (const index of [0, 1]) expect((await world.visit(index, link.slug)).status).toBe(410);
  });
});
