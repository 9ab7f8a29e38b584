import { FixedClock, newId, type Actor } from '@strata/shared-kernel';
import { linkPolicy, ShortLink, type RandomSource, type ShortLinkRequest } from '@strata/links';

export const SHORT_DOMAIN = 'strata.link';
export const POLICY = linkPolicy({ shortDomain: SHORT_DOMAIN });

export const CREATED_AT = '2026-05-04T10:00:00.000Z';
/** A week after CREATED_AT: the campaign link's expiry. */
export const EXPIRES_AT = '2026-05-11T10:00:00.000Z';
export const TARGET = 'https://learn.example.org/courses/ddd-in-typescript';

export function aPerson(userId: string = newId<'User'>()): Actor {
  return { userId, roles: ['learner'] };
}

export function anAdmin(): Actor {
  return { userId: newId<'User'>(), roles: ['learner', 'admin'] };
}

/** A random source that hands out the given bytes, over and over: every generated slug is predictable. */
export function bytesOf(...bytes: number[]): RandomSource {
  let next = 0;
  return {
    bytes(count: number): Uint8Array {
      const out = new Uint8Array(count);
      for (let index = 0; index < count; index += 1) out[index] = bytes[next++ % bytes.length]!;
      return out;
    },
  };
}

/** Zero bytes: the generated slug is twelve zeros. */
export const ZEROS = bytesOf(0);

export function clockAt(at: string = CREATED_AT): FixedClock {
  return new FixedClock(at);
}

/** A saved link to TARGET with a generated slug, no expiry and no cap. */
export function aLink(owner: Actor = aPerson(), request: Partial<ShortLinkRequest> = {}): ShortLink {
  const link = ShortLink.create(
    { targetUrl: TARGET, ...request },
    { policy: POLICY, random: ZEROS },
    owner,
    clockAt(),
  );
  link.markSaved();
  return link;
}

/** A saved campaign link: custom slug, an expiry a week out, at most 100 visits. */
export function aCampaignLink(owner: Actor = aPerson()): ShortLink {
  return aLink(owner, { slug: 'Spring-Sale', expiresAt: new Date(EXPIRES_AT), maxVisits: 100 });
}

export function aDisabledLink(owner: Actor = aPerson()): ShortLink {
  const link = aCampaignLink(owner);
  link.disable(owner, clockAt('2026-05-05T09:00:00.000Z'));
  link.markSaved();
  return link;
}

/** Who a link belongs to, as an Actor that may change it. */
export function ownerOf(link: ShortLink): Actor {
  return aPerson(link.ownerId);
}
