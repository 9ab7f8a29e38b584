import { describe, expect, it } from '@jest/globals';
import { isDomainError } from '@strata/shared-kernel';
import { MAX_VISITS_LIMIT, ShortLink, toShortLinkView } from '@strata/links';
import {
  aCampaignLink,
  aDisabledLink,
  aLink,
  anAdmin,
  aPerson,
  clockAt,
  CREATED_AT,
  EXPIRES_AT,
  ownerOf,
  POLICY,
  TARGET,
  ZEROS,
} from './short-link.mother.ts';

function codeOf(act: () => unknown): string {
  try {
    act();
  } catch (error) {
    if (isDomainError(error)) return error.code;
    throw error;
  }
  throw new Error('expected a refusal');
}

const AFTER_EXPIRY = '2026-05-12T00:00:00.000Z';
const create = (request: Parameters<typeof ShortLink.create>[0]) =>
  ShortLink.create(request, { policy: POLICY, random: ZEROS }, aPerson(), clockAt());

describe('creating a short link', () => {
  it('generates a slug when none is asked for, and announces the link', () => {
    const owner = aPerson();
    const link = ShortLink.create({ targetUrl: TARGET }, { policy: POLICY, random: ZEROS }, owner, clockAt());
    expect(toShortLinkView(link)).toEqual({
      id: link.id,
      slug: '000000000000',
      slugKind: 'generated',
      targetUrl: TARGET,
      ownerId: owner.userId,
      status: 'active',
      expiresAt: null,
      maxVisits: null,
      createdAt: CREATED_AT,
      disabled: null,
      expiredAt: null,
      version: 0,
    });
    expect(link.pendingEvents.map(({ type, payload }) => ({ type, payload }))).toEqual([
      {
        type: 'ShortLinkCreated',
        payload: {
          linkId: link.id,
          slug: '000000000000',
          slugKind: 'generated',
          targetUrl: TARGET,
          ownerId: owner.userId,
          expiresAt: null,
          maxVisits: null,
        },
      },
    ]);
  });

  it('keeps a custom slug folded to lower case, with its expiry and maximum visits', () => {
    const link = aCampaignLink();
    expect({
      slug: link.slug,
      slugKind: link.slugKind,
      expiresAt: link.expiresAt?.toISOString(),
      maxVisits: link.maxVisits,
    }).toEqual({ slug: 'spring-sale', slugKind: 'custom', expiresAt: EXPIRES_AT, maxVisits: 100 });
  });

  it('refuses an expiry that is not later than now', () => {
    for (const expiresAt of [CREATED_AT, '2026-05-04T09:59:59.999Z', 'not a date']) {
      expect(codeOf(() => create({ targetUrl: TARGET, expiresAt: new Date(expiresAt) }))).toBe(
        'short-link-expiry-cannot-be-in-the-past',
      );
    }
  });

  it('refuses a maximum of visits below one or not whole', () => {
    for (const maxVisits of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(codeOf(() => create({ targetUrl: TARGET, maxVisits }))).toBe('max-visits-must-be-at-least-one');
    }
    expect(create({ targetUrl: TARGET, maxVisits: 1 }).maxVisits).toBe(1);
  });

  it('refuses a maximum of visits above the limit a counter and its column hold', () => {
    for (const maxVisits of [MAX_VISITS_LIMIT + 1, 9007199254740939]) {
      expect(codeOf(() => create({ targetUrl: TARGET, maxVisits }))).toBe(
        'max-visits-must-not-exceed-the-limit',
      );
    }
    expect(create({ targetUrl: TARGET, maxVisits: MAX_VISITS_LIMIT }).maxVisits).toBe(MAX_VISITS_LIMIT);
  });

  it('refuses a bad target or slug and makes nothing', () => {
    expect(codeOf(() => create({ targetUrl: 'javascript:alert(1)' }))).toBe(
      'target-url-must-use-http-or-https',
    );
    expect(codeOf(() => create({ targetUrl: 'https://strata.link/x' }))).toBe(
      'target-url-cannot-point-at-the-short-domain',
    );
    expect(codeOf(() => create({ targetUrl: TARGET, slug: 'admin' }))).toBe('custom-slug-cannot-be-reserved');
  });
});

describe('disabling and enabling', () => {
  it('the owner disables a link, which is recorded with who and when', () => {
    const link = aCampaignLink();
    const owner = ownerOf(link);
    link.disable(owner, clockAt('2026-05-05T09:00:00.000Z'));
    expect(toShortLinkView(link)).toMatchObject({
      status: 'disabled',
      disabled: { by: owner.userId, at: '2026-05-05T09:00:00.000Z' },
    });
    expect(link.pendingEvents.map(({ type, payload }) => ({ type, payload }))).toEqual([
      {
        type: 'ShortLinkDisabled',
        payload: { linkId: link.id, slug: 'spring-sale', disabledBy: owner.userId },
      },
    ]);
  });

  it('an admin may disable and enable anyone’s link; nobody else may', () => {
    const link = aCampaignLink();
    expect(codeOf(() => link.disable(aPerson(), clockAt()))).toBe(
      'only-its-owner-or-an-admin-may-change-a-short-link',
    );
    const admin = anAdmin();
    link.disable(admin, clockAt());
    expect(link.disabledBy).toBe(admin.userId);
    expect(codeOf(() => link.enable(aPerson(), clockAt()))).toBe(
      'only-its-owner-or-an-admin-may-change-a-short-link',
    );
    link.enable(admin, clockAt());
    expect(link.status).toBe('active');
  });

  it('disabling twice, or enabling an active link, records nothing more', () => {
    const link = aDisabledLink();
    link.disable(ownerOf(link), clockAt());
    const active = aLink();
    active.enable(ownerOf(active), clockAt());
    expect([link.pendingEvents, active.pendingEvents]).toEqual([[], []]);
  });

  it('enabling clears who disabled it and announces it', () => {
    const link = aDisabledLink();
    const owner = ownerOf(link);
    link.enable(owner, clockAt('2026-05-06T00:00:00.000Z'));
    expect({ status: link.status, disabledBy: link.disabledBy, disabledAt: link.disabledAt }).toEqual({
      status: 'active',
      disabledBy: null,
      disabledAt: null,
    });
    expect(link.pendingEvents.map(({ type, payload }) => ({ type, payload }))).toEqual([
      {
        type: 'ShortLinkEnabled',
        payload: { linkId: link.id, slug: 'spring-sale', enabledBy: owner.userId },
      },
    ]);
  });

  it('a link past its expiry cannot be enabled, whether or not the timer has recorded it', () => {
    const late = aDisabledLink();
    expect(codeOf(() => late.enable(ownerOf(late), clockAt(AFTER_EXPIRY)))).toBe(
      'expired-short-link-cannot-be-enabled',
    );
    const expired = aDisabledLink();
    expired.expire(clockAt(AFTER_EXPIRY));
    expect(codeOf(() => expired.enable(ownerOf(expired), clockAt(AFTER_EXPIRY)))).toBe(
      'expired-short-link-cannot-be-enabled',
    );
  });
});

describe('expiring', () => {
  it('is recorded once the expiry has passed, and a second run changes nothing', () => {
    const link = aCampaignLink();
    link.expire(clockAt(AFTER_EXPIRY));
    link.expire(clockAt(AFTER_EXPIRY));
    expect({ status: link.status, expiredAt: link.expiredAt?.toISOString() }).toEqual({
      status: 'expired',
      expiredAt: AFTER_EXPIRY,
    });
    expect(link.pendingEvents.map(({ type, payload }) => ({ type, payload }))).toEqual([
      { type: 'ShortLinkExpired', payload: { linkId: link.id, slug: 'spring-sale', expiresAt: EXPIRES_AT } },
    ]);
  });

  it('is refused before the expiry, and for a link without one', () => {
    const link = aCampaignLink();
    expect(codeOf(() => link.expire(clockAt('2026-05-11T09:59:59.999Z')))).toBe(
      'short-link-cannot-expire-before-its-expiry',
    );
    expect(codeOf(() => aLink().expire(clockAt(AFTER_EXPIRY)))).toBe(
      'short-link-cannot-expire-before-its-expiry',
    );
  });

  it('makes disabling change nothing', () => {
    const link = aCampaignLink();
    link.expire(clockAt(AFTER_EXPIRY));
    link.markSaved();
    link.disable(ownerOf(link), clockAt(AFTER_EXPIRY));
    expect({ status: link.status, events: link.pendingEvents }).toEqual({ status: 'expired', events: [] });
  });
});

describe('resolving a visit', () => {
  const during = new Date('2026-05-06T12:00:00.000Z');

  it('redirects an active link within its expiry and cap', () => {
    expect(aCampaignLink().resolve(during, 0)).toEqual({ outcome: 'redirect', targetUrl: TARGET });
    expect(aCampaignLink().resolve(during, 99)).toEqual({ outcome: 'redirect', targetUrl: TARGET });
    expect(aLink().resolve(new Date('2099-01-01T00:00:00.000Z'), 1e12)).toEqual({
      outcome: 'redirect',
      targetUrl: TARGET,
    });
  });

  it('answers gone, used up, from the visit after the last allowed one', () => {
    expect(aCampaignLink().resolve(during, 100)).toEqual({ outcome: 'gone', reason: 'used-up' });
    expect(aCampaignLink().resolve(during, Number.NaN)).toEqual({ outcome: 'gone', reason: 'used-up' });
  });

  it('answers gone, expired, from the expiry on, before the timer records it', () => {
    expect(aCampaignLink().resolve(new Date(EXPIRES_AT), 0)).toEqual({ outcome: 'gone', reason: 'expired' });
  });

  it('answers gone, disabled, whatever the time and count', () => {
    expect(aDisabledLink().resolve(new Date(AFTER_EXPIRY), 500)).toEqual({
      outcome: 'gone',
      reason: 'disabled',
    });
  });

  it('changes nothing: a visit records no event', () => {
    const link = aCampaignLink();
    link.resolve(during, 3);
    expect({ events: link.pendingEvents, version: link.version }).toEqual({ events: [], version: 1 });
  });
});

describe('snapshot and restore', () => {
  it('gives back the same link, recording nothing', () => {
    const link = aDisabledLink();
    const restored = ShortLink.restore(link.toSnapshot());
    expect(toShortLinkView(restored)).toEqual(toShortLinkView(link));
    expect(restored.pendingEvents).toEqual([]);
  });
});
