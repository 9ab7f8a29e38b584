import { z } from '@strata/shared-kernel';
import { MAX_REFERRER_HOST_LENGTH } from './domain/referrer-host.ts';
import { slug } from './link-fields.ts';

/*
 * A visit, as it leaves the redirect path. It is not recorded by the ShortLink aggregate: a visit
 * changes nothing the link decides on its own (its cap is counted in Redis), and recording it
 * would load and save the link (a database write, a new version) on the hottest path of the
 * platform. The redirect path builds this payload and sends visits to Kafka in batches, at least
 * once; `visitId` is what consumers deduplicate on. The contract still publishes it beside the
 * link's events (ADR 0017), so it shares the context's topic, the event catalog and the glossary.
 */

/** The browser families visit statistics are grouped by; anything else counts as other. */
export const USER_AGENT_FAMILIES = [
  'chrome',
  'edge',
  'firefox',
  'safari',
  'opera',
  'samsung-internet',
  'other',
] as const;

export type UserAgentFamily = (typeof USER_AGENT_FAMILIES)[number];

/** A host as the URL parser gives it: lower-case name, IPv4, or IPv6 in brackets. */
const referrerHost = z
  .string()
  .min(1)
  .max(MAX_REFERRER_HOST_LENGTH)
  .regex(/^[a-z0-9.\-[\]:]+$/, 'a host name as the URL parser writes it');

export const linkVisitPayloads = {
  LinkVisited: z.object({
    visitId: z.uuid(),
    linkId: z.uuid(),
    slug,
    visitedAt: z.iso.datetime(),
    referrerHost: referrerHost.nullable(),
    userAgentFamily: z.enum(USER_AGENT_FAMILIES),
    bot: z.boolean(),
    /** SHA-256, hex: a keyed hash of who visited (never the address itself), for unique counts. */
    visitorHash: z.string().regex(/^[0-9a-f]{64}$/, '64 lower-case hexadecimal digits (SHA-256)'),
  }),
};

export type LinkVisited = z.output<(typeof linkVisitPayloads)['LinkVisited']>;
