import { EntitySchema, type EntitySchemaMetadata } from '@mikro-orm/core';

/**
 * Maps the record an aggregate with private state is stored as (see AggregateMapping): a plain row
 * type, no class, plus the `version` column every aggregate needs for the unit of work's
 * optimistic check.
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
