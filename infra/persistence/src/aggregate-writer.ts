import type { SqlEntityManager } from '@mikro-orm/sql';
import { DomainError } from '@strata/shared-kernel';
import type { AggregateStorage } from './aggregate-mapping.ts';
import { aggregateTable } from './aggregate-table.ts';
import type { Change } from './tracked-aggregate.ts';

/**
 * Writes one aggregate's change in a commit's transaction as one statement, MikroORM's native
 * insert or update rather than managed entities flushed through change sets: the command holds the
 * aggregate, nothing reads the entity back, and the change-set path cost as much CPU as the rest of
 * the command (ADR 0047).
 *
 * A created aggregate is inserted at the version its commit gives it: the insert itself refuses a
 * second creator (the primary key), so it needs no version check. A loaded one is updated with the
 * fields that changed and its next version, on the condition that it is still at the version it
 * was loaded at: the same statement is the optimistic check.
 */
export class AggregateWriter {
  readonly #translateError: ((error: unknown) => unknown) | undefined;
  readonly #advanceVersionSql = new Map<AggregateStorage, string>();

  /** `translateError`: turns a failed write into the domain's own error (see `translateWriteError`). */
  constructor(translateError: ((error: unknown) => unknown) | undefined) {
    this.#translateError = translateError;
  }

  async write(em: SqlEntityManager, change: Change): Promise<void> {
    const { aggregate, storage } = change;
    let updated: number;
    try {
      if (change.kind === 'insert') {
        await em.insert(storage.schema, { ...change.record, version: aggregate.version + 1 } as never);
        return;
      }
      updated =
        Object.keys(change.fields).length === 0
          ? await this.#advanceVersion(em, change)
          : await em.nativeUpdate(
              storage.schema,
              { id: aggregate.id, version: aggregate.version } as never,
              { ...change.fields, version: aggregate.version + 1 } as never,
            );
    } catch (error) {
      throw this.#translateError?.(error) ?? error;
    }
    if (updated !== 1) {
      throw DomainError.conflict(
        'aggregate-version-conflict',
        `${aggregate.aggregateType} ${aggregate.id} was changed by another command after it was loaded at version ${aggregate.version}; load it again and retry`,
        {
          aggregateType: aggregate.aggregateType,
          aggregateId: aggregate.id,
          expectedVersion: aggregate.version,
        },
      );
    }
  }

  /**
   * An aggregate that only recorded events advances its version by a statement of its own, its SQL
   * built once per table: MikroORM's query builder costs more CPU than the statement's round trip.
   */
  async #advanceVersion(em: SqlEntityManager, { aggregate, storage }: Change): Promise<number> {
    let sql = this.#advanceVersionSql.get(storage);
    if (sql === undefined) {
      const { table, column, idColumn } = aggregateTable(em, storage);
      const versionColumn = column('version');
      sql = `update ${table} set ${versionColumn} = ? where ${idColumn} = ? and ${versionColumn} = ?`;
      this.#advanceVersionSql.set(storage, sql);
    }
    const result = await em.execute<{ affectedRows: number }>(
      sql,
      [aggregate.version + 1, aggregate.id, aggregate.version],
      'run',
    );
    return result.affectedRows;
  }
}
