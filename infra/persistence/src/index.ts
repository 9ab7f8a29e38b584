export { aggregateMapping, type AggregateMapping, type AggregateStorage } from './aggregate-mapping.ts';
export { recordSchema } from './aggregate-schema.ts';
export {
  databaseConfig,
  databaseNameFor,
  mysqlDatabaseConfig,
  parseDatabaseConfig,
  sqliteDatabaseConfig,
  type DatabaseConfig,
  type DatabaseConfigInput,
} from './database-config.ts';
export { deleteExpiredRows, type HousekeepingOptions } from './housekeeping.ts';
export type { IdempotencyScope } from './idempotency-store.ts';
export {
  MikroOrmUnitOfWork,
  type AggregateRepository,
  type MikroOrmScope,
  type MikroOrmUnitOfWorkOptions,
} from './mikro-orm-unit-of-work.ts';
export { MySqlLeaderLock, type MySqlLeaderLockOptions } from './mysql-leader-lock.ts';
export { runMigrateCommand } from './migrate-command.ts';
export { openDatabase, type Database, type DatabaseMapping } from './open-database.ts';
export { platformMigrations, type MigrationClass, type SqlDialect } from './platform-migrations.ts';
export { rebuildByReplay, type ReplayFailure, type ReplayProgress } from './replay-rebuild.ts';
export { SqlInbox } from './sql-inbox.ts';
export { SqlOutboxStore } from './sql-outbox-store.ts';
export { decodeCursor, encodeCursor } from './keyset-cursor.ts';
