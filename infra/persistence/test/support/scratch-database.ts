import { createConnection } from 'mysql2/promise';
import { stackEndpoints } from '@strata/dev-stack';
import { newId } from '@strata/shared-kernel';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
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

/**
 * How many statements beginning with `statementStart` run in `service`'s database, polled until at
 * least `count` do; past 20 s of time (time, not a count of polls, which a loaded machine outruns)
 * it fails naming the statements and the last count seen: for a test that acts while a statement it
 * staged is in flight, such as a write waiting on a lock the test holds.
 */
export async function runningStatements(service: string, statementStart: string, count = 1): Promise<number> {
  const observer = await createConnection({ ...stackEndpoints().mysql });
  try {
    return await waitFor(
      `${count} running statement(s) beginning with ${statementStart} in ${service}'s database`,
      async () => {
        const [rows] = await observer.query(
          "select count(*) as n from information_schema.processlist where db = ? and info like concat(?, '%')",
          [databaseNameFor(service), statementStart],
        );
        return Number((rows as { n: number }[])[0]!.n);
      },
      { done: (running) => running >= count, timeoutMs: 20_000, everyMs: 20 },
    );
  } finally {
    await observer.end();
  }
}
