import { ownTopicFor } from '@strata/events';
import { linksContract } from '@strata/links/contract';

/** The visits' topic suffix, as the contract says it (and the event catalog prints it from there). */
function visitsTopicSuffix(): string {
  const { LinkVisited, LinkVisitsRecorded } = linksContract.aggregates.ShortLink.events;
  const suffix = LinkVisitsRecorded.topicSuffix;
  if (suffix === undefined || LinkVisited.topicSuffix !== suffix)
    throw new Error('the links contract must give LinkVisited and LinkVisitsRecorded one topic suffix');
  return suffix;
}
const VISITS_TOPIC_SUFFIX = visitsTopicSuffix();

/**
 * Where the redirect instances ship the links' visits: `strata[.<namespace>].links.events.visits`,
 * a topic of their own beside the links' events (ADR 0063). The visits are most of what the links
 * context publishes, hundreds of kilobytes a message; on the links topic, every redirect
 * instance's cache invalidation fetched and decompressed them all only to skip them.
 */
export function linkVisitsTopicFor(namespace?: string): string {
  return ownTopicFor(linksContract.context, VISITS_TOPIC_SUFFIX, namespace);
}
