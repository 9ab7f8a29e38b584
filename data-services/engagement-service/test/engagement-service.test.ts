import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createEngagementService, type EngagementService } from '@strata/engagement-service';
import { linksContract } from '@strata/links/contract';
import { uniqueService } from '@strata/persistence/test-support';
import type { ContractClient } from '@strata/rpc';
import type { DataServiceOptions } from '@strata/runtime/data-service';
import {
  mariaDbDataService,
  refusal,
  sqliteDataService,
  type RunningDataService,
} from '@strata/runtime/test-support';
import { FixedClock, newId } from '@strata/shared-kernel';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import { setTimeout as sleep } from 'node:timers/promises';

const owner = () => ({ userId: newId(), roles: ['learner', 'instructor'] });
const TARGET = 'https://learn.example.org/courses/ddd';

describe.each(['MariaDB', 'SQLite'] as const)('engagement-service hosting links on %s', (storage) => {
  const clock = new FixedClock('2026-12-04T10:00:00.000Z');
  let running: RunningDataService<EngagementService>;
  let links: ContractClient<typeof linksContract>;

  const outboxOf = async (id: string) =>
    (
      await running.service.database
        .em()
        .execute<{ event_type: string }[]>(
          'select event_type from outbox where aggregate_id = ? order by sequence',
          [id],
        )
    ).map((row) => row.event_type);

  beforeAll(async () => {
    const create = (options: DataServiceOptions) =>
      createEngagementService({ ...options, shortDomain: 'strata.link', expirySweepEveryMs: 200 });
    running =
      storage === 'MariaDB'
        ? await mariaDbDataService(create, uniqueService('engage'), { clock })
        : await sqliteDataService(create, { clock });
    links = running.clientOf(linksContract);
  });

  afterAll(async () => {
    await running?.stop();
  });

  it('creates a link with a generated slug and records ShortLinkCreated in the same transaction', async () => {
    const me = owner();
    const link = await links.ShortLink.create({ targetUrl: TARGET }, { caller: me });
    expect(link).toMatchObject({ slugKind: 'generated', ownerId: me.userId, status: 'active', version: 1 });
    expect(link.slug).toMatch(/^[0-9a-hjkmnp-tv-z]{12}$/);
    expect(await outboxOf(link.id)).toEqual(['ShortLinkCreated']);
  });

  it('keeps a custom slug folded to lower case, and refuses it taken in any case with 409 on the field slug, writing nothing', async () => {
    const me = owner();
    const slug = `Spring-${newId().slice(0, 8)}`;
    const first = await links.ShortLink.create({ targetUrl: TARGET, slug, maxVisits: 100 }, { caller: me });
    expect(first.slug).toBe(slug.toLowerCase());
    const taken = await refusal(
      links.ShortLink.create({ targetUrl: `${TARGET}?again`, slug: slug.toUpperCase() }, { caller: owner() }),
    );
    expect(taken).toMatchObject({
      code: 'CONFLICT',
      reason: 'custom-slug-must-not-be-taken',
      details: expect.objectContaining({ field: 'slug' }),
    });
    const [row] = await running.service.database
      .em()
      .execute<{ n: number | string }[]>('select count(*) as n from short_links where slug = ?', [
        slug.toLowerCase(),
      ]);
    expect(Number(row?.n)).toBe(1);
  });

  it('refuses a reserved slug, a target on the short domain, an expiry in the past and zero visits, each by its rule', async () => {
    const me = owner();
    const cases: [Record<string, unknown>, string][] = [
      [{ targetUrl: TARGET, slug: 'admin' }, 'custom-slug-cannot-be-reserved'],
      [{ targetUrl: 'https://strata.link/other' }, 'target-url-cannot-point-at-the-short-domain'],
      [
        { targetUrl: TARGET, expiresAt: '2026-12-04T09:59:59.000Z' },
        'short-link-expiry-cannot-be-in-the-past',
      ],
      [{ targetUrl: TARGET, maxVisits: 0 }, 'max-visits-must-be-at-least-one'],
    ];
    for (const [input, code] of cases) {
      const error = await refusal(links.ShortLink.create(input as never, { caller: me }));
      expect(JSON.stringify(error)).toContain(code);
    }
    const page = await links.ShortLink.findByOwner({ ownerId: me.userId }, { caller: me });
    expect(page.items).toEqual([]);
  });

  it('disables and enables by the owner only, each change an event; lists the owner’s links newest first', async () => {
    const me = owner();
    const older = await links.ShortLink.create({ targetUrl: TARGET }, { caller: me });
    const link = await links.ShortLink.create({ targetUrl: `${TARGET}/2` }, { caller: me });
    const denied = await refusal(links.ShortLink.disable(link.id, {}, { caller: owner() }));
    expect(denied).toMatchObject({ code: 'PERMISSION_DENIED' });
    await expect(links.ShortLink.disable(link.id, {}, { caller: me })).resolves.toMatchObject({
      status: 'disabled',
    });
    await expect(links.ShortLink.enable(link.id, {}, { caller: me })).resolves.toMatchObject({
      status: 'active',
    });
    expect(await outboxOf(link.id)).toEqual(['ShortLinkCreated', 'ShortLinkDisabled', 'ShortLinkEnabled']);
    const page = await links.ShortLink.findByOwner({ ownerId: me.userId, limit: 1 }, { caller: me });
    expect(page.items.map((item) => item.id)).toEqual([link.id]);
    const next = await links.ShortLink.findByOwner(
      { ownerId: me.userId, limit: 1, cursor: page.nextCursor! },
      { caller: me },
    );
    expect(next.items.map((item) => item.id)).toEqual([older.id]);
    await expect(
      links.ShortLink.findByOwner({ ownerId: me.userId }, { caller: owner() }),
    ).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
    });
  });

  it('finds a link by slug in any case for the redirect role and its owner, and for nobody else', async () => {
    const me = owner();
    const link = await links.ShortLink.create(
      { targetUrl: TARGET, slug: `find-${newId().slice(0, 8)}` },
      { caller: me },
    );
    const upper = link.slug.toUpperCase();
    const asRedirect = await links.ShortLink.findBySlug(
      { slug: upper },
      { caller: { roles: ['link-redirect'] } },
    );
    expect(asRedirect.items.map((item) => item.id)).toEqual([link.id]);
    const asStranger = await links.ShortLink.findBySlug({ slug: link.slug }, { caller: owner() });
    expect(asStranger.items).toEqual([]);
  });

  it('records ShortLinkExpired from the expiry sweep once the expiry has passed, and only then', async () => {
    const me = owner();
    const link = await links.ShortLink.create(
      { targetUrl: TARGET, expiresAt: '2026-12-04T11:00:00.000Z' },
      { caller: me },
    );
    await running.service.jobs.start();
    // Several sweeps run (every 200 ms) before the expiry: none records anything.
    await sleep(1_000);
    expect(await outboxOf(link.id)).toEqual(['ShortLinkCreated']);
    clock.set('2026-12-04T11:00:00.001Z');
    await waitFor('the expiry recorded in the outbox', async () => (await outboxOf(link.id)).length >= 2, {
      timeoutMs: 15_000,
      everyMs: 100,
    });
    expect(await outboxOf(link.id)).toEqual(['ShortLinkCreated', 'ShortLinkExpired']);
    await expect(links.ShortLink.get(link.id, { caller: me })).resolves.toMatchObject({ status: 'expired' });
  });
});
