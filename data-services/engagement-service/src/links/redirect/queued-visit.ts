import type { EventEnvelope } from '@strata/events';
import { USER_AGENT_FAMILIES, type LinkVisited, type UserAgentFamily } from '@strata/links';

/**
 * A granted visit while it waits in the visit queue for the shipper: the LinkVisited payload and
 * the link's version, one tab-separated line. Not the envelope's JSON: the redirect path writes
 * one short line per visit (no JSON on the hottest path), and the shipper, off it, builds the
 * envelope once. No field can hold a tab or a line break (ids, a slug, digits, a host name as the
 * URL parser writes it, a family name, a hex hash), so a batch of visits is their lines joined by
 * `\n`.
 */
export interface QueuedVisit extends LinkVisited {
  /** The link's version the visit resolved against: the envelope's `aggregateVersion` (ADR 0018). */
  readonly linkVersion: number;
}

export function encodeQueuedVisit(visit: QueuedVisit): string {
  return `${visit.visitId}\t${visit.linkId}\t${visit.linkVersion}\t${visit.slug}\t${visit.visitedAt}\t${
    visit.referrerHost ?? ''
  }\t${visit.userAgentFamily}\t${visit.bot ? 1 : 0}\t${visit.visitorHash}`;
}

const FAMILIES = new Set<string>(USER_AGENT_FAMILIES);

/** The LinkVisited envelope a queued visit leaves as; its id is the visit id consumers deduplicate on. */
export function visitEnvelopeOf(line: string): EventEnvelope<LinkVisited> {
  const fields = line.split('\t');
  if (fields.length !== 9 || !FAMILIES.has(fields[6]!)) throw new Error(`not a queued visit: ${line}`);
  const [visitId, linkId, linkVersion, slug, visitedAt, referrerHost, userAgentFamily, bot, visitorHash] =
    fields as [string, string, string, string, string, string, UserAgentFamily, string, string];
  return {
    id: visitId,
    type: 'LinkVisited',
    schemaVersion: 1,
    aggregateType: 'ShortLink',
    aggregateId: linkId,
    aggregateVersion: Number(linkVersion),
    occurredAt: visitedAt,
    correlationId: visitId,
    causationId: null,
    traceparent: null,
    tracestate: null,
    payload: {
      visitId,
      linkId,
      slug,
      visitedAt,
      referrerHost: referrerHost === '' ? null : referrerHost,
      userAgentFamily,
      bot: bot === '1',
      visitorHash,
    },
  };
}
