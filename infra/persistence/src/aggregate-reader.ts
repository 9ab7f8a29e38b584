import { ReferenceKind, type EntityMetadata, type EntityProperty } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/sql';
import type { AggregateStorage } from './aggregate-mapping.ts';
import { aggregateTable } from './aggregate-table.ts';
import type { StoredRecord } from './tracked-aggregate.ts';

interface LoadStatement {
  readonly sql: string;
  /** The same select with `for update`, where the database has it (MariaDB; SQLite serialises writers). */
  readonly lockingSql: string;
  readonly meta: EntityMetadata;
  /** Properties whose MikroORM type turns the driver's value into the record's (a JSON column's text, say). */
  readonly converted: readonly EntityProperty[];
}

/**
 * Reads one aggregate's record by id as one native statement, its SQL built once per table, and
 * converts the row the way MikroORM's hydration would (column names to properties, dates, the
 * mapping's types) without making a managed entity of it. The unit of work turns the record into
 * the aggregate and never writes an entity back (ADR 0047), so the identity map, the query builder
 * and the hydrator that `findOne` runs bought nothing and cost about four fifths of a load's CPU
 * (ADR 0050). Reading through the entity manager's `execute` keeps the load inside the session's
 * transaction, when there is one.
 */
export class AggregateReader {
  readonly #statements = new Map<AggregateStorage, LoadStatement>();
  readonly #locks: boolean;

  /** `locks`: whether the database takes `select … for update` (MariaDB; SQLite has one writer at a time). */
  constructor(locks: boolean) {
    this.#locks = locks;
  }

  /**
   * `forUpdate`: a locking read, which sees the latest committed row rather than the transaction's
   * snapshot and holds the row until the transaction ends (see AggregateRepository.findById).
   */
  async read(
    em: SqlEntityManager,
    storage: AggregateStorage,
    id: string,
    forUpdate = false,
  ): Promise<StoredRecord | null> {
    const statement = this.#statementFor(em, storage);
    const sql = forUpdate ? statement.lockingSql : statement.sql;
    return this.#recordOf(em, statement, await em.execute(sql, [id], 'get'));
  }

  /**
   * The same read straight through the driver, on a pooled connection, outside any session or
   * transaction: what a read-only unit of work needs, without forking an entity manager for it.
   * `em` only names the mapping's metadata and driver (the global one will do).
   */
  async readPooled(
    em: SqlEntityManager,
    storage: AggregateStorage,
    id: string,
  ): Promise<StoredRecord | null> {
    const statement = this.#statementFor(em, storage);
    return this.#recordOf(em, statement, await em.getDriver().execute(statement.sql, [id], 'get'));
  }

  #recordOf(em: SqlEntityManager, { meta, converted }: LoadStatement, found: unknown): StoredRecord | null {
    // `get` answers nothing when no row matches, whatever its declared type says.
    const row = found as Record<string, unknown> | null | undefined;
    if (row === undefined || row === null) return null;
    const record = em.getDriver().mapResult(row, meta) as StoredRecord;
    const platform = em.getPlatform();
    for (const property of converted) {
      const value = record[property.name];
      if (value !== null && value !== undefined)
        record[property.name] = property.customType!.convertToJSValue(value, platform);
    }
    return record;
  }

  #statementFor(em: SqlEntityManager, storage: AggregateStorage): LoadStatement {
    let statement = this.#statements.get(storage);
    if (statement !== undefined) return statement;
    const { meta, quote, table, idColumn } = aggregateTable(em, storage);
    const columns = meta.props.filter((property) => property.persist !== false);
    const unsupported = columns.find(
      (property) => property.kind !== ReferenceKind.SCALAR || property.fieldNames.length !== 1,
    );
    if (unsupported !== undefined)
      throw new Error(
        `${meta.className}.${unsupported.name} is not a plain column; an aggregate's record maps each field to one column of its own table`,
      );
    const sql = `select ${columns.map((property) => quote(property.fieldNames[0]!)).join(', ')} from ${table} where ${idColumn} = ?`;
    statement = {
      sql,
      lockingSql: this.#locks ? `${sql} for update` : sql,
      meta,
      converted: columns.filter((property) => property.customType !== undefined),
    };
    this.#statements.set(storage, statement);
    return statement;
  }
}
