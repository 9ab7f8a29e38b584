import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  GENERATED_SLUG_LENGTH,
  resolveLink,
  SHORT_LINK_STATUSES,
  Slug,
  slug as slugSchema,
  targetUrlField,
  type ResolvableLink,
} from '@strata/links';
import { bytesOf, POLICY, SHORT_DOMAIN } from './short-link.mother.ts';

/*
 * What must hold whatever the input: a generated slug is always a valid slug in its alphabet; a
 * target URL the boundary's schema accepts is always http(s) and never on the short domain; and a
 * resolution never redirects a disabled link, a link past its expiry or a visit past the cap.
 */

describe('generated slugs', () => {
  it('are always twelve symbols of the alphabet, and keep every custom slug rule', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: GENERATED_SLUG_LENGTH, maxLength: GENERATED_SLUG_LENGTH }),
        (bytes) => {
          const generated = Slug.generate(bytesOf(...bytes)).value;
          expect(generated).toMatch(/^[0-9a-hjkmnp-tv-z]{12}$/);
          expect(Slug.custom(generated).value).toBe(generated);
          expect(slugSchema.parse(generated)).toBe(generated);
          expect(Slug.keyOf(generated)).toBe(generated);
        },
      ),
    );
  });
});

describe('target URLs the schema accepts', () => {
  const scheme = fc.constantFrom(
    'http',
    'https',
    'HTTPS',
    'javascript',
    'JavaScript',
    'java\tscript',
    'data',
    'ftp',
    'file',
    'vbscript',
    'blob',
    'ws',
  );
  const host = fc.constantFrom(
    SHORT_DOMAIN,
    'STRATA.LINK',
    `${SHORT_DOMAIN}.`,
    `www.${SHORT_DOMAIN}`,
    'strata%2elink',
    'example.org',
    'notstrata.link',
    'strata.link.example',
    '127.0.0.1',
    '[::1]',
    '',
  );
  const separator = fc.constantFrom('://', ':', ':/', ':\\\\', '://user:pw@', '://x@');
  const crafted = fc
    .tuple(
      fc.constantFrom('', ' ', '\t', '\u0000'),
      scheme,
      separator,
      host,
      fc.constantFrom('', ':8080'),
      fc.string(),
    )
    .map(([lead, s, sep, h, port, rest]) => `${lead}${s}${sep}${h}${port}/${rest}`);
  const candidate = fc.oneof(
    crafted,
    fc.webUrl({ withQueryParameters: true, withFragments: true }),
    fc.string(),
  );
  const schema = targetUrlField(POLICY);

  it('are http or https, carry no credentials and never lead to the short domain', () => {
    fc.assert(
      fc.property(candidate, (raw) => {
        const parsed = schema.safeParse(raw);
        if (!parsed.success) return;
        const url = new URL(parsed.data);
        const hostname = url.hostname.replace(/\.$/, '');
        expect(['http:', 'https:']).toContain(url.protocol);
        expect(hostname === SHORT_DOMAIN || hostname.endsWith(`.${SHORT_DOMAIN}`)).toBe(false);
        expect(url.username + url.password).toBe('');
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('resolving', () => {
  const START = Date.parse('2026-05-04T10:00:00.000Z');
  const HOUR = 3_600_000;
  const link: fc.Arbitrary<ResolvableLink> = fc.record({
    targetUrl: fc.constant('https://example.org/'),
    status: fc.constantFrom(...SHORT_LINK_STATUSES),
    expiresAt: fc.option(
      fc.integer({ min: 0, max: 48 }).map((hours) => new Date(START + hours * HOUR)),
      { nil: null },
    ),
    maxVisits: fc.option(fc.integer({ min: 1, max: 1_000 }), { nil: null }),
  });
  const now = fc.integer({ min: -HOUR, max: 60 * HOUR }).map((offset) => new Date(START + offset));
  const visitsSoFar = fc.oneof(fc.integer({ min: -3, max: 2_000 }), fc.constant(Number.NaN));

  it('never redirects a disabled or expired link, after the expiry, or past the cap', () => {
    fc.assert(
      fc.property(link, now, visitsSoFar, (resolvable, at, visits) => {
        const resolution = resolveLink(resolvable, at, visits);
        if (resolution.outcome !== 'redirect') return;
        expect(resolvable.status).toBe('active');
        if (resolvable.expiresAt !== null) expect(at.getTime()).toBeLessThan(resolvable.expiresAt.getTime());
        if (resolvable.maxVisits !== null) expect(visits).toBeLessThan(resolvable.maxVisits);
        expect(resolution.targetUrl).toBe(resolvable.targetUrl);
      }),
      { numRuns: 2_000 },
    );
  });

  it('redirects exactly the first maximum-visits visits of any number arriving at once', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 0, max: 400 }),
        (maxVisits, arriving) => {
          const capped: ResolvableLink = {
            targetUrl: 'https://example.org/',
            status: 'active',
            expiresAt: null,
            maxVisits,
          };
          // An atomic counter numbers the visits 1..arriving; each resolves with its number minus one.
          const redirected = Array.from({ length: arriving }, (_, index) =>
            resolveLink(capped, new Date(START), index),
          ).filter((resolution) => resolution.outcome === 'redirect').length;
          expect(redirected).toBe(Math.min(arriving, maxVisits));
        },
      ),
    );
  });
});
