import { Migration } from '@mikro-orm/migrations';

export type SqlDialect = 'mysql' | 'sqlite';

type MigrationClass = new (...args: ConstructorParameters<typeof Migration>) => Migration;

const mysql = {
  outbox: `create table if not exists outbox (
    sequence bigint unsigned not null auto_increment primary key,
    event_id char(36) not null,
    topic varchar(255) not null,
    event_type varchar(200) not null,
    aggregate_type varchar(100) not null,
    aggregate_id varchar(100) not null,
    aggregate_version int not null,
    envelope longtext not null,
    created_at bigint not null,
    sent_at bigint null,
    unique key outbox_event_id (event_id),
    key outbox_unsent (sent_at, sequence)
  ) engine=InnoDB default charset=utf8mb4`,
  inbox: `create table if not exists inbox (
    consumer_group varchar(200) not null,
    event_id char(36) not null,
    handled_at bigint not null,
    primary key (consumer_group, event_id),
    key inbox_handled_at (handled_at)
  ) engine=InnoDB default charset=utf8mb4`,
  idempotency: `create table if not exists idempotency_keys (
    caller varchar(200) not null,
    idempotency_key varchar(200) not null,
    method varchar(200) not null,
    result longblob not null,
    created_at bigint not null,
    expires_at bigint not null,
    primary key (caller, idempotency_key),
    key idempotency_keys_expires_at (expires_at)
  ) engine=InnoDB default charset=utf8mb4`,
  // Delayed and recurring jobs of the embedded job adapter (@strata/jobs): a row per job until it is done.
  jobs: `create table if not exists strata_jobs (
    id varchar(200) not null primary key,
    name varchar(200) not null,
    payload longtext not null,
    run_at bigint not null,
    status varchar(16) not null,
    attempts int not null,
    max_attempts int not null,
    backoff_ms bigint not null,
    repeat_every_ms bigint null,
    repeat_cron varchar(200) null,
    claim varchar(64) null,
    lease_until bigint null,
    last_error text null,
    updated_at bigint not null,
    key strata_jobs_due (status, run_at)
  ) engine=InnoDB default charset=utf8mb4`,
};

const sqlite = {
  outbox: [
    `create table if not exists outbox (
      sequence integer primary key autoincrement,
      event_id text not null unique,
      topic text not null,
      event_type text not null,
      aggregate_type text not null,
      aggregate_id text not null,
      aggregate_version integer not null,
      envelope text not null,
      created_at integer not null,
      sent_at integer null
    )`,
    'create index if not exists outbox_unsent on outbox (sent_at, sequence)',
  ],
  inbox: [
    `create table if not exists inbox (
      consumer_group text not null,
      event_id text not null,
      handled_at integer not null,
      primary key (consumer_group, event_id)
    )`,
    'create index if not exists inbox_handled_at on inbox (handled_at)',
  ],
  idempotency: [
    `create table if not exists idempotency_keys (
      caller text not null,
      idempotency_key text not null,
      method text not null,
      result blob not null,
      created_at integer not null,
      expires_at integer not null,
      primary key (caller, idempotency_key)
    )`,
    'create index if not exists idempotency_keys_expires_at on idempotency_keys (expires_at)',
  ],
  jobs: [
    `create table if not exists strata_jobs (
      id text not null primary key,
      name text not null,
      payload text not null,
      run_at integer not null,
      status text not null,
      attempts integer not null,
      max_attempts integer not null,
      backoff_ms integer not null,
      repeat_every_ms integer null,
      repeat_cron text null,
      claim text null,
      lease_until integer null,
      last_error text null,
      updated_at integer not null
    )`,
    'create index if not exists strata_jobs_due on strata_jobs (status, run_at)',
  ],
};

function migration(name: string, statements: string[], drop: string): MigrationClass {
  return class extends Migration {
    override name = name;
    override up(): void {
      for (const statement of statements) this.addSql(statement);
    }
    override down(): void {
      this.addSql(drop);
    }
  };
}

/**
 * The tables every data service has whatever its contexts: outbox, inbox, idempotency keys, jobs. They
 * run first; a data service appends its own aggregate tables' migrations after them.
 */
export function platformMigrations(dialect: SqlDialect): MigrationClass[] {
  const sql =
    dialect === 'mysql'
      ? {
          outbox: [mysql.outbox],
          inbox: [mysql.inbox],
          idempotency: [mysql.idempotency],
          jobs: [mysql.jobs],
        }
      : sqlite;
  return [
    migration('strata-0001-outbox', sql.outbox, 'drop table if exists outbox'),
    migration('strata-0002-inbox', sql.inbox, 'drop table if exists inbox'),
    migration('strata-0003-idempotency-keys', sql.idempotency, 'drop table if exists idempotency_keys'),
    migration('strata-0004-jobs', sql.jobs, 'drop table if exists strata_jobs'),
  ];
}

export type { MigrationClass };
