import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  checkGlossary,
  contractMethods,
  newId,
  type DomainEvent,
  type EventPayload,
} from '@strata/shared-kernel';
import { expectTypeOf } from 'expect-type';
import {
  linkVisitPayloads,
  MAX_VISITS_PER_EVENT,
  referrerHostOf,
  resolvableLinkOf,
  resolveLink,
  ShortLink,
  shortLinkEventPayloads,
  toShortLinkView,
  visitsOf,
  type LinkVisited,
  type LinkVisitsRecorded,
  type ShortLinkCreated,
  type ShortLinkDisabled,
} from '@strata/links';
import { linksContract, ShortLinkView } from '@strata/links/contract';
import { linksGlossary } from '../src/glossary.ts';
import {
  aCampaignLink,
  aDisabledLink,
  aLink,
  aPerson,
  clockAt,
  ownerOf,
  POLICY,
  TARGET,
  ZEROS,
} from './short-link.mother.ts';

const events = linksContract.aggregates.ShortLink.events;
const AFTER_EXPIRY = '2026-05-12T00:00:00.000Z';

/** Drives links through every change, keeping every event the aggregate records. */
function everyRecordedEvent(): DomainEvent[] {
  const created = ShortLink.create(
    { targetUrl: TARGET, slug: 'fresh-link', expiresAt: new Date(AFTER_EXPIRY), maxVisits: 3 },
    { policy: POLICY, random: ZEROS },
    aPerson(),
    clockAt(),
  );
  const disabled = aCampaignLink();
  disabled.disable(ownerOf(disabled), clockAt());
  const enabled = aDisabledLink();
  enabled.enable(ownerOf(enabled), clockAt());
  const expired = aCampaignLink();
  expired.expire(clockAt(AFTER_EXPIRY));
  return [created, disabled, enabled, expired].flatMap((link) => [...link.pendingEvents]);
}

function payloadOf(method: string, input: unknown, id?: string) {
  const found = contractMethods(linksContract).get(method);
  if (!found) throw new Error(`the contract has no method ${method}`);
  return found.payload.safeParse(id === undefined ? { input } : { id, input });
}

const aVisit: LinkVisited = {
  visitId: newId<'Visit'>(),
  linkId: newId<'ShortLink'>(),
  slug: 'spring-sale',
  visitedAt: '2026-05-06T12:00:00.000Z',
  referrerHost: 'news.example.org',
  userAgentFamily: 'firefox',
  bot: false,
  visitorHash: 'a'.repeat(64),
};

describe('the links contract', () => {
  it('declares every event the aggregate records, and the visit events besides, which the aggregate never records', () => {
    const recorded = new Set(everyRecordedEvent().map((event) => event.type));
    expect(recorded).toEqual(new Set(Object.keys(shortLinkEventPayloads)));
    expect(new Set(Object.keys(events))).toEqual(new Set([...recorded, 'LinkVisited', 'LinkVisitsRecorded']));
  });

  it('accepts every recorded payload exactly as recorded', () => {
    for (const recorded of everyRecordedEvent()) {
      const schema = events[recorded.type as keyof typeof events].payload;
      expect({ type: recorded.type, payload: schema.parse(recorded.payload) }).toEqual({
        type: recorded.type,
        payload: recorded.payload,
      });
    }
  });

  it('types each event payload once: the domain’s type is the contract’s', () => {
    expectTypeOf<EventPayload<typeof linksContract, 'ShortLinkCreated'>>().toEqualTypeOf<ShortLinkCreated>();
    expectTypeOf<
      EventPayload<typeof linksContract, 'ShortLinkDisabled'>
    >().toEqualTypeOf<ShortLinkDisabled>();
    expectTypeOf<EventPayload<typeof linksContract, 'LinkVisited'>>().toEqualTypeOf<LinkVisited>();
    expect(events.LinkVisited.payload).toBe(linkVisitPayloads.LinkVisited);
    expectTypeOf<
      EventPayload<typeof linksContract, 'LinkVisitsRecorded'>
    >().toEqualTypeOf<LinkVisitsRecorded>();
    expect(events.LinkVisitsRecorded.payload).toBe(linkVisitPayloads.LinkVisitsRecorded);
  });

  it('carries a link’s visits in one LinkVisitsRecorded, each as its LinkVisited, between 1 and the most a message holds', () => {
    const { linkId, slug, ...facts } = aVisit;
    const second = { ...facts, visitId: newId<'Visit'>(), bot: true, referrerHost: null };
    const recorded = events.LinkVisitsRecorded.payload.parse({ linkId, slug, visits: [facts, second] });
    expect(visitsOf(recorded)).toEqual([aVisit, { ...aVisit, ...second }]);
    for (const visits of [
      [],
      Array.from({ length: MAX_VISITS_PER_EVENT + 1 }, () => facts),
      [{ ...facts, visitorHash: '203.0.113.7' }],
    ]) {
      expect(events.LinkVisitsRecorded.payload.safeParse({ linkId, slug, visits }).success).toBe(false);
    }
  });

  it('accepts a visit and refuses one that would carry more than a host or an address', () => {
    expect(events.LinkVisited.payload.parse(aVisit)).toEqual(aVisit);
    for (const bad of [
      { referrerHost: 'https://news.example.org/search?q=secret' },
      { visitorHash: '203.0.113.7' },
      { userAgentFamily: 'Mozilla/5.0 (X11; Linux x86_64)' },
      { slug: 'Spring-Sale' },
    ]) {
      expect(events.LinkVisited.payload.safeParse({ ...aVisit, ...bad }).success).toBe(false);
    }
  });

  it('shows every link as its view', () => {
    for (const link of [aLink(), aCampaignLink(), aDisabledLink()]) {
      const view = toShortLinkView(link);
      expect(ShortLinkView.parse(view)).toEqual(view);
    }
  });

  it('lets the redirect path decide from a view as the aggregate decides', () => {
    const link = aCampaignLink();
    const resolvable = resolvableLinkOf(toShortLinkView(link));
    for (const [at, visits] of [
      ['2026-05-06T12:00:00.000Z', 0],
      ['2026-05-06T12:00:00.000Z', 100],
      [AFTER_EXPIRY, 0],
    ] as const) {
      expect(resolveLink(resolvable, new Date(at), visits)).toEqual(link.resolve(new Date(at), visits));
    }
  });

  it('refuses a bad create at the boundary with the domain’s code in the message, and folds a looked-up slug', () => {
    const reserved = payloadOf('ShortLink.create', { targetUrl: TARGET, slug: 'Admin' });
    expect(
      reserved.success ? [] : reserved.error.issues.map((issue) => [issue.path.join('.'), issue.message]),
    ).toEqual([
      [
        'input.slug',
        '"admin" is reserved by the platform; choose another slug [custom-slug-cannot-be-reserved]',
      ],
    ]);
    const script = payloadOf('ShortLink.create', { targetUrl: 'javascript:alert(1)' });
    expect(script.success ? '' : script.error.issues[0]?.message).toMatch(
      /\[target-url-must-use-http-or-https\]$/,
    );
    const zero = payloadOf('ShortLink.create', { targetUrl: TARGET, maxVisits: 0 });
    expect(zero.success ? '' : zero.error.issues[0]?.message).toMatch(/\[max-visits-must-be-at-least-one\]$/);
    // Found by the distributed abuse suite: a safe integer past the column's range answered 500.
    const huge = payloadOf('ShortLink.create', { targetUrl: TARGET, maxVisits: 9007199254740939 });
    expect(huge.success ? '' : huge.error.issues[0]?.message).toMatch(
      /\[max-visits-must-not-exceed-the-limit\]$/,
    );
    const found = payloadOf('ShortLink.findBySlug', { slug: 'Spring-Sale' });
    expect(found.success && (found.data as { input: { slug: string } }).input.slug).toBe('spring-sale');
    expect(payloadOf('ShortLink.findBySlug', { slug: 'favicon.ico' }).success).toBe(false);
  });

  it('has a glossary term for every aggregate, method and event', () => {
    expect(checkGlossary(linksContract, linksGlossary)).toEqual([]);
  });
});

describe('the referrer host of a visit', () => {
  it('is the host alone, and nothing for a missing or non-web referrer', () => {
    expect(referrerHostOf('https://News.Example.org./search?q=secret#x')).toBe('news.example.org');
    expect(referrerHostOf('http://[::1]:8080/')).toBe('[::1]');
    for (const referrer of [undefined, null, '', 'android-app://com.slack', 'not a url']) {
      expect(referrerHostOf(referrer)).toBeNull();
    }
    const host = referrerHostOf('https://news.example.org/a');
    expect(events.LinkVisited.payload.shape.referrerHost.parse(host)).toBe('news.example.org');
  });

  it('is kept only as LinkVisited accepts it: a name the URL parser lets through but no DNS resolves is no referrer', () => {
    expect(referrerHostOf('https://münchen.de/')).toBe('xn--mnchen-3ya.de');
    expect(referrerHostOf('http://10.0.0.1/')).toBe('10.0.0.1');
    for (const referrer of [
      'https://a_b.example.com/',
      'https://a!b.example.org/',
      'https://a"b.example.org/',
      'https://a{b}.example.org/',
      "https://a'b.example.org/",
    ]) {
      expect(referrerHostOf(referrer)).toBeNull();
    }
  });

  it('is always a host LinkVisited accepts, whatever the referrer', () => {
    const printable = fc.string({
      unit: fc.constantFrom(...'abcxyzAB019_-.!$&\'()*+,;=~"{}`[]:%@/?#'),
      minLength: 1,
    });
    fc.assert(
      fc.property(fc.constantFrom('http://', 'https://'), printable, (scheme, rest) => {
        const host = referrerHostOf(`${scheme}${rest}`);
        expect(events.LinkVisited.payload.shape.referrerHost.safeParse(host).success).toBe(true);
      }),
    );
  });
});
