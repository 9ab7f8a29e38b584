import { EntitySchema, type EntitySchemaMetadata } from '@mikro-orm/core';
import type { AggregateRoot } from '@strata/shared-kernel';

/**
 * Maps a pure domain class with EntitySchema (the class stays decorator-free; MikroORM rehydrates it
 * without calling its constructor) and adds the `version` column every aggregate needs for the unit
 * of work's optimistic check. The data service names its table and maps its own fields.
 */
export function aggregateSchema<A extends AggregateRoot>(
  metadata: Omit<EntitySchemaMetadata<A>, 'properties'> & {
    class: abstract new (...args: never[]) => A;
    tableName: string;
    /** The aggregate's own fields; `version` is added here, getters such as `aggregateType` are not columns. */
    properties: Partial<EntitySchemaMetadata<A>['properties']>;
  },
): EntitySchema<A> {
  return new EntitySchema<A>({
    ...metadata,
    properties: {
      ...metadata.properties,
      version: { type: 'integer', default: 0 },
    } as unknown as EntitySchemaMetadata<A>['properties'],
  } as EntitySchemaMetadata<A>);
}

/**
 * Maps the record an aggregate with private state is stored as (see AggregateMapping): a plain row
 * type, no class, with the same `version` column `aggregateSchema` adds.
 */
export function recordSchema<R extends { id: string; version: number }>(
  metadata: Omit<EntitySchemaMetadata<R>, 'properties' | 'class'> & {
    name: string;
    tableName: string;
    properties: Omit<EntitySchemaMetadata<R>['properties'], 'version'>;
  },
): EntitySchema<R> {
  return new EntitySchema<R>({
    ...metadata,
    properties: {
      ...metadata.properties,
      version: { type: 'integer', default: 0 },
    } as unknown as EntitySchemaMetadata<R>['properties'],
  } as EntitySchemaMetadata<R>);
}
