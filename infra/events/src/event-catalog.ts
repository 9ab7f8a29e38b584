import type { EventSchemaLookup } from './event-envelope.ts';

/**
 * What infrastructure needs to know about the events the hosted contracts declare. Built by the
 * runtime from the contracts, so this package does not depend on the contract DSL's internals.
 */
export interface EventCatalog {
  /** The context that publishes `type` and the schema version new events are written with. */
  describe(type: string): { context: string; version: number } | undefined;
  schema: EventSchemaLookup;
}

/**
 * One topic per context keeps a context's events ordered per aggregate and its consumers
 * independent. A namespace (the deployment's name) keeps deployments that share one Kafka apart,
 * as their schemas, registry keys and Redis keys are.
 */
export function topicFor(context: string, namespace?: string): string {
  return namespace === undefined ? `strata.${context}.events` : `strata.${namespace}.${context}.events`;
}

/**
 * The topic of a context's events that their producer ships itself, apart from the context's
 * others (`EventDefinition.topicSuffix`; the links' visits, ADR 0063): the context's topic name
 * with the suffix appended, as dead-letter topics append theirs.
 */
export function ownTopicFor(context: string, suffix: string, namespace?: string): string {
  return `${topicFor(context, namespace)}.${suffix}`;
}

export function deadLetterTopicFor(topic: string, consumerGroup: string): string {
  return `${topic}.${consumerGroup}.dlq`;
}
