import { MikroORM as CoreMikroORM, type EntitySchema, type Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { MikroORM as MySqlMikroORM } from '@mikro-orm/mysql';
import { NodeSqliteDialect, type SqlEntityManager } from '@mikro-orm/sql';
import { BoundMySqlDriver, BoundSqliteDriver } from './bound-parameter-drivers.ts';
import { databaseNameFor, parseDatabaseConfig, type DatabaseConfig } from './database-config.ts';
import { platformMigrations, type MigrationClass, type SqlDialect } from './platform-migrations.ts';

/** What a data service brings: its EntitySchema mappings and (MySQL) migrations for their tables. */
export interface DatabaseMapping {
  // EntitySchema's type parameters differ per aggregate; the ORM takes them all alike.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  entities: EntitySchema<any, any>[];
  /** Applied after the platform's outbox/inbox/idempotency migrations, in order. */
  migrations?: MigrationClass[];
}

export interface Database {
  readonly orm: CoreMikroORM;
  readonly dialect: SqlDialect;
  readonly config: DatabaseConfig;
  /** A fresh EntityManager for one unit of work. */
  em(): SqlEntityManager;
  /** Applies pending migrations; answers the names applied. */
  migrate(): Promise<string[]>;
  close(): Promise<void>;
}

const migrationsTable = 'strata_migrations';

function mysqlOptions(config: Extract<DatabaseConfig, { kind: 'mysql' }>, mapping: DatabaseMapping): Options {
  return {
    driver: BoundMySqlDriver,
    entities: mapping.entities,
    dbName: databaseNameFor(config.service),
    host: config.host,
    port: config.port,
    user: config.user,
    password: config.password,
    pool: { min: 0, max: config.poolSize },
    // The schema per data service is created on first start; its tables come from migrations.
    ensureDatabase: true,
    discovery: { warnWhenNoEntities: false },
    extensions: [Migrator],
    migrations: {
      tableName: migrationsTable,
      migrationsList: [...platformMigrations('mysql'), ...(mapping.migrations ?? [])],
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
    },
  } as unknown as Options;
}

function sqliteOptions(
  config: Extract<DatabaseConfig, { kind: 'sqlite' }>,
  mapping: DatabaseMapping,
): Options {
  return {
    driver: BoundSqliteDriver,
    entities: mapping.entities,
    dbName: config.file,
    driverOptions: new NodeSqliteDialect(config.file),
    discovery: { warnWhenNoEntities: false },
    extensions: [Migrator],
    migrations: {
      tableName: migrationsTable,
      migrationsList: platformMigrations('sqlite'),
      transactional: true,
      snapshot: false,
      silent: true,
    },
  } as unknown as Options;
}

/**
 * Opens the data service's database: MariaDB/MySQL (its own `strata_<service>` schema, created if
 * missing, pool sized from config) or SQLite through node:sqlite (no native build), connected
 * when it answers if the database can be reached. With `migrateOnStart` pending migrations are
 * applied before it answers.
 */
export async function openDatabase(configInput: unknown, mapping: DatabaseMapping): Promise<Database> {
  const config = parseDatabaseConfig(configInput);
  const orm =
    config.kind === 'mysql'
      ? ((await MySqlMikroORM.init(mysqlOptions(config, mapping) as never)) as unknown as CoreMikroORM)
      : await CoreMikroORM.init(sqliteOptions(config, mapping));
  // MikroORM's init no longer connects: the first query would open the pool and check the schema
  // (a consumer's first inbox transaction paid ~50 ms for it). A database out of reach now is left
  // unconnected, so the first query connects as before and a service still starts, not ready.
  await orm.connect().catch(() => orm.driver.getConnection().close());
  const database: Database = {
    orm,
    dialect: config.kind,
    config,
    em: () => orm.em.fork() as unknown as SqlEntityManager,
    async migrate() {
      const applied = await (orm.migrator as Migrator).up();
      // Embedded mode has no hand-written SQLite migrations for aggregate tables: the mapping is the schema.
      if (config.kind === 'sqlite') await orm.schema.update({ safe: true });
      return applied.map((migration) => migration.name);
    },
    close: () => orm.close(),
  };
  if (config.migrateOnStart) await database.migrate();
  return database;
}
