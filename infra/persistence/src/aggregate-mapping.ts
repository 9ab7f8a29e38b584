import type { EntitySchema } from '@mikro-orm/core';
import type { AggregateRoot } from '@strata/shared-kernel';

/**
 * How an aggregate whose state is private (`#` fields) is stored: MikroORM loads and flushes a
 * plain record mapped by `schema`, and the data service's mapper turns one into the other through
 * the aggregate's own snapshot and restore. The record carries `version` as well; the unit of
 * work's optimistic check reads and advances it.
 */
export interface AggregateMapping<A extends AggregateRoot, R extends { id: string; version: number }> {
  readonly schema: EntitySchema<R>;
  toAggregate(record: R): A;
  /** Every persisted field of the aggregate, `version` as loaded included. */
  toRecord(aggregate: A): R;
}

/** What the unit of work is told per aggregate type. */
export type AggregateStorage = AggregateMapping<AggregateRoot, { id: string; version: number }>;

/** Declares a mapping with its record type inferred from the schema. */
export function aggregateMapping<A extends AggregateRoot, R extends { id: string; version: number }>(
  mapping: AggregateMapping<A, R>,
): AggregateStorage {
  return mapping as unknown as AggregateStorage;
}
