import type { Database } from '@strata/persistence';
import { Gauge, type Registry } from 'prom-client';
import { sourcesOf } from './process-metrics.ts';
import type { ReadinessCheck } from './readiness.ts';

/** The counts mysql2's pool keeps (fields it has had since 2.x; it publishes no accessor for them). */
interface Mysql2PoolCounts {
  readonly _allConnections?: { length: number };
  readonly _freeConnections?: { length: number };
  readonly _connectionQueue?: { length: number };
}

/** Readiness: the database answers a trivial query. Without it no call can be served. */
export function databaseCheck(database: Database): ReadinessCheck {
  return {
    name: 'database',
    async check() {
      await database.em().getConnection().execute('select 1');
    },
  };
}

/**
 * `strata_db_pool_connections{service, state}`: connections in use, idle, and requests waiting for
 * one, read from mysql2's pool at scrape time. SQLite (embedded) has no pool and reports nothing;
 * neither does a mysql2 whose pool no longer has the fields read here, rather than a wrong figure.
 */
export function meterDatabasePool(database: Database, registry: Registry): void {
  if (database.config.kind !== 'mysql') return;
  sourcesOf<Database>(
    registry,
    'strata_db_pool_connections',
    (databases) =>
      new Gauge({
        name: 'strata_db_pool_connections',
        help: 'Database pool connections in use, idle, and calls waiting for one, by service',
        labelNames: ['service', 'state'],
        registers: [registry],
        async collect() {
          for (const [service, source] of databases) {
            const counts = await poolOf(source).catch(() => undefined);
            const all = counts?._allConnections?.length;
            const free = counts?._freeConnections?.length;
            const waiting = counts?._connectionQueue?.length;
            if (all === undefined || free === undefined || waiting === undefined) continue;
            this.set({ service, state: 'in_use' }, all - free);
            this.set({ service, state: 'idle' }, free);
            this.set({ service, state: 'waiting' }, waiting);
          }
        },
      }),
  ).set(database.config.service, database);
}

/** MikroORM's MySQL connection hands out the mysql2 pool it built. */
function poolOf(database: Database): Promise<Mysql2PoolCounts> {
  const connection = database.em().getConnection() as unknown as {
    getNativeClient(): Promise<Mysql2PoolCounts>;
  };
  return connection.getNativeClient();
}
