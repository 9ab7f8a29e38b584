import { createConnection } from 'mysql2/promise';
import { stackEndpoints } from '@strata/dev-stack';
import { newId } from '@strata/shared-kernel';
import { databaseNameFor } from '../../src/database-config.ts';

// Databases a test creates for itself on the dev stack's MariaDB and drops afterwards; shared by
// every package's tests through `@strata/persistence/test-support`.

/** A service name (hence schema) no other test, run or engineer uses, so tests run beside each other. */
export function uniqueService(prefix: string): string {
  return `t_${prefix}_${newId().replaceAll('-', '').slice(-12)}`;
}

/** The dev stack's MariaDB as a service's database, migrated on open. */
export function mysqlDatabase(service: string) {
  return { kind: 'mysql' as const, service, ...stackEndpoints().mysql, poolSize: 5, migrateOnStart: true };
}

export async function dropDatabase(service: string): Promise<void> {
  const connection = await createConnection({ ...stackEndpoints().mysql });
  try {
    await connection.query(`drop database if exists \`${databaseNameFor(service)}\``);
  } finally {
    await connection.end();
  }
}
