import { createConnection } from 'mysql2/promise';
import { stackEndpoints } from '@strata/dev-stack';
import { newId } from '@strata/shared-kernel';
import { databaseNameFor, openDatabase, type Database } from '@strata/persistence';
import { accountSchema, CreateAccountTable } from './account.ts';

/** A service name no other test (or engineer) uses, so tests run beside each other. */
export function uniqueService(prefix: string): string {
  return `t_${prefix}_${newId().replaceAll('-', '').slice(-12)}`;
}

export function mysqlConfig(service: string, extra: Record<string, unknown> = {}) {
  const { mysql } = stackEndpoints();
  return { kind: 'mysql', service, ...mysql, poolSize: 5, migrateOnStart: true, ...extra };
}

export function openAccounts(service: string): Promise<Database> {
  return openDatabase(mysqlConfig(service), { entities: [accountSchema], migrations: [CreateAccountTable] });
}

export async function dropDatabase(service: string): Promise<void> {
  const { mysql } = stackEndpoints();
  const connection = await createConnection({ ...mysql });
  try {
    await connection.query(`drop database if exists \`${databaseNameFor(service)}\``);
  } finally {
    await connection.end();
  }
}
