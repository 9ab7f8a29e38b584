import { topicFor } from '@strata/events';
import { linksContract } from '@strata/links/contract';

/**
 * Where the redirect instances ship the links' visits: `strata[.<namespace>].links.events.visits`,
 * a topic of their own beside the links' events (ADR 0063). The visits are most of what the links
 * context publishes, hundreds of kilobytes a message; on the links topic, every redirect
 * instance's cache invalidation fetched and decompressed them all only to skip them.
 */
export function linkVisitsTopicFor(namespace?: string): string {
  return `${topicFor(linksContract.context, namespace)}.visits`;
}
