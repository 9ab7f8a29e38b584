import { createConnection } from 'mysql2/promise';
import { stackEndpoints } from '@strata/dev-stack';
import { databaseNameFor } from '@strata/persistence';
import { newId } from '@strata/shared-kernel';

/** A service name (hence schema) no other run uses, so runs never see each other's rows. */
export function uniqueService(prefix: string): string {
  return `t_${prefix}_${newId().replaceAll('-', '').slice(-12)}`;
}

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

/** Collects what the runtime logs, so a test can show that nothing secret reached the log. */
export function recordingLogger() {
  const lines: string[] = [];
  return {
    lines,
    error: (fields: object, message: string) => void lines.push(JSON.stringify({ fields, message })),
    warn: (fields: object, message: string) => void lines.push(JSON.stringify({ fields, message })),
  };
}
