import { z } from '@strata/shared-kernel';
import { MAX_REFERRER_HOST_LENGTH, REFERRER_HOST_PATTERN } from './domain/referrer-host.ts';
import { slug } from './link-fields.ts';

/*
 * A visit, as the redirect path reports it. It is not recorded by the ShortLink aggregate: a visit
 * changes nothing the link decides on its own (its cap is counted in Redis), and recording it
 * would load and save the link (a database write, a new version) on the hottest path of the
 * platform. The redirect path ships visits to Kafka at least once, many to a message: one
 * LinkVisitsRecorded per link and shipping round carries up to MAX_VISITS_PER_EVENT of them, each
 * with its own `visitId`, which is what consumers deduplicate on (never the envelope's id: a batch
 * shipped again may be cut differently). LinkVisited, one visit to a message, is how visits left
 * before ADR 0031; consumers still read it, so a replay of an older topic keeps them. The contract
 * publishes both beside the link's events (ADR 0017): they share the context's event catalog and
 * glossary, but ship on a topic of their own beside the context's (ADR 0063), so that what reads
 * the link's events does not fetch every visit.
 */

/**
 * Visits per LinkVisitsRecorded at most: a visit is about 250 bytes of JSON, so a full batch stays
 * far under Kafka's default 1 MB message limit.
 */
export const MAX_VISITS_PER_EVENT = 1_000;

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
  .regex(REFERRER_HOST_PATTERN, 'a host name as the URL parser writes it');

const LinkVisited = z.object({
  visitId: z.uuid(),
  linkId: z.uuid(),
  slug,
  visitedAt: z.iso.datetime(),
  referrerHost: referrerHost.nullable(),
  userAgentFamily: z.enum(USER_AGENT_FAMILIES),
  bot: z.boolean(),
  /** SHA-256, hex: a keyed hash of who visited (never the address itself), for unique counts. */
  visitorHash: z.string().regex(/^[0-9a-f]{64}$/, '64 lower-case hexadecimal digits (SHA-256)'),
});

export const linkVisitPayloads = {
  LinkVisited,
  LinkVisitsRecorded: z.object({
    linkId: z.uuid(),
    slug,
    /** In the order the redirect path granted them; each as its LinkVisited without the link. */
    visits: z
      .array(LinkVisited.omit({ linkId: true, slug: true }))
      .min(1)
      .max(MAX_VISITS_PER_EVENT),
  }),
};

export type LinkVisited = z.output<(typeof linkVisitPayloads)['LinkVisited']>;
export type LinkVisitsRecorded = z.output<(typeof linkVisitPayloads)['LinkVisitsRecorded']>;

/** The visits of a LinkVisitsRecorded, each as the LinkVisited it stands for. */
export function visitsOf(recorded: LinkVisitsRecorded): LinkVisited[] {
  return recorded.visits.map((visit) => ({ linkId: recorded.linkId, slug: recorded.slug, ...visit }));
}
