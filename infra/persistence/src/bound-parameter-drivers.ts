import { isRaw, raw, type Configuration, type Dictionary, type LoggingOptions } from '@mikro-orm/core';
import { MySqlConnection, MySqlDriver } from '@mikro-orm/mysql';
import {
  AbstractSqlDriver,
  BaseSqliteConnection,
  NativeQueryBuilder,
  SqlitePlatform,
  type AbstractSqlConnection,
  type RawQueryFragment,
  type Transaction,
} from '@mikro-orm/sql';
import { CompiledQuery, MysqlDialect } from 'kysely';
import { createPool, type Pool, type PoolOptions } from 'mysql2';
import { bindParameters, type BindingDialect } from './bound-parameters.ts';
import { PREPARED_STATEMENTS_PER_CONNECTION, preparedStatementPool } from './prepared-statement-pool.ts';

type ExecuteMethod = 'all' | 'get' | 'run';
type Query = string | NativeQueryBuilder | RawQueryFragment;
// MikroORM's connection classes take (config, options?, type?); the mixin passes them through.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ConnectionClass = abstract new (...args: any[]) => AbstractSqlConnection;

/**
 * A MikroORM connection whose `execute` sends values as driver parameters (see bindParameters).
 * Its query log and its errors carry the SQL with placeholders and the parameters apart, so no
 * log line shows a caller's text inside SQL. Everything else is MikroORM's own connection.
 */
function withBoundParameters<Base extends ConnectionClass>(Connection: Base, dialect: BindingDialect) {
  abstract class BoundParameterConnection extends Connection {
    override async execute<T>(
      query: Query,
      params: readonly unknown[] | Dictionary<unknown> = [],
      method: ExecuteMethod = 'all',
      ctx?: Transaction,
      loggerContext?: LoggingOptions,
    ): Promise<T> {
      await this.ensureConnection();
      let sql: unknown = query instanceof NativeQueryBuilder ? query.toRaw() : query;
      let values: readonly unknown[] = Array.isArray(params) ? params : [];
      // Named parameters (a plain object) are MikroORM's `raw()` form; it turns them positional.
      if (typeof sql === 'string' && !Array.isArray(params)) sql = raw(sql, params);
      if (isRaw(sql)) {
        values = sql.params;
        sql = sql.sql;
      }
      const onQuery = this.config.get('onQuery');
      const bound = bindParameters(this.platform, dialect, onQuery(sql as string, values), values);
      const { signal, inflightQueryAbortStrategy, ...logContext } = (loggerContext ??
        {}) as LoggingOptions & {
        signal?: AbortSignal;
        inflightQueryAbortStrategy?: unknown;
      };
      const abort = signal === undefined ? undefined : { signal, inflightQueryAbortStrategy };
      return this.executeQuery(
        bound.sql,
        async () => {
          try {
            const client = ctx ?? this.getClient();
            // Kysely's executeQuery takes the abort options as its second argument in MikroORM's build.
            const result = await (
              client.executeQuery as (query: CompiledQuery, options?: unknown) => Promise<unknown>
            )(CompiledQuery.raw(bound.sql, bound.parameters), abort);
            return this.transformRawResult<T>(result, method);
          } catch (error) {
            // Apart, as fields of the error: the service's log shows them without reading them as SQL.
            // (Not `instanceof Error`: node:sqlite's errors may come from another realm.)
            if (typeof error === 'object' && error !== null) {
              Object.assign(error, { sql: bound.sql, parameters: bound.parameters });
            }
            throw error;
          }
        },
        { ...logContext, query: bound.sql, params: bound.parameters },
      );
    }
  }
  return BoundParameterConnection;
}

const BoundSqliteConnection = withBoundParameters(BaseSqliteConnection, 'sqlite');
/**
 * The MySQL connection with bound parameters, whose pool runs them as server-side prepared
 * statements (preparedStatementPool). Its dialect is built here rather than by MySqlConnection:
 * the platform uses neither a password callback nor query abortion, the two things it adds.
 */
class BoundMySqlConnection extends withBoundParameters(MySqlConnection, 'mysql') {
  #pool: Pool | undefined;

  override async createKyselyDialect(overrides: PoolOptions): Promise<MysqlDialect> {
    const pool = (this.#pool = createPool({
      ...this.mapOptions(overrides),
      maxPreparedStatements: PREPARED_STATEMENTS_PER_CONNECTION,
    }));
    return new MysqlDialect({ pool: preparedStatementPool(pool) as never });
  }

  /** The mysql2 pool this connection built (MikroORM's own only knows the one it builds), for its counts. */
  override async getNativeClient(): Promise<Pool> {
    await this.ensureConnection();
    return this.requireNativeClient(this.#pool);
  }
}

/** SQLite through node:sqlite with bound parameters (MikroORM's SqliteDriver, another connection). */
export class BoundSqliteDriver extends AbstractSqlDriver {
  constructor(config: Configuration) {
    super(config, new SqlitePlatform(), BoundSqliteConnection as never, ['kysely']);
  }
}

/** MariaDB/MySQL with the values sent apart from the SQL, as prepared-statement parameters. */
export class BoundMySqlDriver extends MySqlDriver {
  constructor(config: Configuration) {
    super(config);
    // MySqlDriver names its connection class in its constructor; the platform has no read replicas.
    Object.assign(this, {
      connection: new (BoundMySqlConnection as never as typeof MySqlConnection)(this.config),
    });
  }
}
