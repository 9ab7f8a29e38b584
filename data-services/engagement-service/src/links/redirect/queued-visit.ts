import type { EventEnvelope } from '@strata/events';
import {
  MAX_VISITS_PER_EVENT,
  USER_AGENT_FAMILIES,
  type LinkVisited,
  type LinkVisitsRecorded,
  type UserAgentFamily,
} from '@strata/links';
import { newId } from '@strata/shared-kernel';

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

/** A queued visit's line read back; a line the redirect path could not have written throws. */
export function decodeQueuedVisit(line: string): QueuedVisit {
  const fields = line.split('\t');
  if (fields.length !== 9 || !FAMILIES.has(fields[6]!)) throw new Error(`not a queued visit: ${line}`);
  const [visitId, linkId, linkVersion, slug, visitedAt, referrerHost, userAgentFamily, bot, visitorHash] =
    fields as [string, string, string, string, string, string, UserAgentFamily, string, string];
  return {
    visitId,
    linkId,
    linkVersion: Number(linkVersion),
    slug,
    visitedAt,
    referrerHost: referrerHost === '' ? null : referrerHost,
    userAgentFamily,
    bot: bot === '1',
    visitorHash,
  };
}

/**
 * The LinkVisitsRecorded envelopes queued visits leave as (ADR 0031): one per link and link
 * version, in the order the lines came, up to MAX_VISITS_PER_EVENT visits each. kafkajs spends
 * tens of µs of CPU per message whatever its size, so a message per visit cost the redirect host
 * more than the redirect itself. The envelope's id is new each time it is built: a batch shipped
 * again may be cut differently, so consumers deduplicate by each visit's id, never the envelope's.
 */
export function visitEnvelopesOf(lines: readonly string[]): EventEnvelope<LinkVisitsRecorded>[] {
  const byLink = new Map<string, QueuedVisit[]>();
  for (const line of lines) {
    const visit = decodeQueuedVisit(line);
    const key = `${visit.linkId}/${visit.linkVersion}`;
    const visits = byLink.get(key);
    if (visits === undefined) byLink.set(key, [visit]);
    else visits.push(visit);
  }
  const envelopes: EventEnvelope<LinkVisitsRecorded>[] = [];
  for (const visits of byLink.values()) {
    for (let from = 0; from < visits.length; from += MAX_VISITS_PER_EVENT) {
      const chunk = visits.slice(from, from + MAX_VISITS_PER_EVENT);
      const { linkId, linkVersion, slug } = chunk[0]!;
      const id = newId();
      envelopes.push({
        id,
        type: 'LinkVisitsRecorded',
        schemaVersion: 1,
        aggregateType: 'ShortLink',
        aggregateId: linkId,
        aggregateVersion: linkVersion,
        occurredAt: chunk[chunk.length - 1]!.visitedAt,
        correlationId: id,
        causationId: null,
        traceparent: null,
        tracestate: null,
        payload: {
          linkId,
          slug,
          visits: chunk.map(({ visitId, visitedAt, referrerHost, userAgentFamily, bot, visitorHash }) => ({
            visitId,
            visitedAt,
            referrerHost,
            userAgentFamily,
            bot,
            visitorHash,
          })),
        },
      });
    }
  }
  return envelopes;
}
