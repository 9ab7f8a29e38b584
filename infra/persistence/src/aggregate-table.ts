import type { EntityMetadata } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/sql';
import type { AggregateStorage } from './aggregate-mapping.ts';

/**
 * A mapping's table as the unit of work's native statements name it: identifiers quoted by the
 * platform, properties by their column.
 */
export function aggregateTable(em: SqlEntityManager, storage: AggregateStorage) {
  const meta = em.getMetadata().get(storage.schema) as EntityMetadata;
  const quote = (name: string) => em.getPlatform().quoteIdentifier(name);
  const column = (property: string) => quote(meta.properties[property]?.fieldNames[0] ?? property);
  return { meta, quote, table: quote(meta.tableName), column, idColumn: column(meta.primaryKeys[0] ?? 'id') };
}
