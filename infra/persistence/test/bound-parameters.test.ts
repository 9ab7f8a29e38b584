import { afterAll, describe, expect, it } from '@jest/globals';
import { openDatabase } from '@strata/persistence';
import { Account, accountSchema, CreateAccountTable } from './support/account.ts';
import { bothEngines } from './support/both-engines.ts';
import { mysqlConfig, uniqueService } from './support/databases.ts';

// Values must reach the database beside the SQL, never inside it: text a caller typed (a NUL byte,
// a quote, a placeholder mark) is stored and found as itself on both engines, and a failing
// statement reports its SQL with placeholders and its parameters apart.

const hostile = "it's 100%\u0000 ? ?? \\ -- ; drop table account; 🙂";
const { engines, services, cleanUp } = bothEngines('bound', {
  entities: [accountSchema],
  migrations: [CreateAccountTable],
});

afterAll(cleanUp);

describe.each(engines)('bound parameters on %s', (_engine, open) => {
  it('stores and finds text with control characters, quotes and placeholder marks as itself', async () => {
    const database = await open();
    try {
      const account = Account.open(hostile, new Date('2026-03-01T10:00:00Z'));
      const em = database.em();
      em.create(accountSchema, { ...account.toSnapshot(), version: 1 });
      await em.flush();

      const found = await database.em().find(accountSchema, { owner: { $like: `%\u0000 ?%` } });
      expect(found.map((row) => ({ id: row.id, owner: row.owner }))).toEqual([
        { id: account.id, owner: hostile },
      ]);
      const exact = await database.em().find(accountSchema, { owner: hostile });
      expect(exact.map((row) => row.id)).toEqual([account.id]);
      const none = await database.em().find(accountSchema, { owner: { $in: ["' or '1'='1", '\u0000'] } });
      expect(none).toEqual([]);
    } finally {
      await database.close();
    }
  });

  it('reports a failing statement with its placeholders and its parameters apart', async () => {
    const database = await open();
    try {
      const failure = await database
        .em()
        .execute('select owner from no_such_table where owner = ?', [hostile])
        .then(
          () => undefined,
          (error: unknown) => error as Error & { sql?: string; parameters?: unknown[] },
        );
      expect(failure?.message).toEqual(expect.any(String));
      expect(failure?.sql).toBe('select owner from no_such_table where owner = ?');
      expect(failure?.parameters).toEqual([hostile]);
      expect(failure?.message).not.toContain('drop table');
    } finally {
      await database.close();
    }
  });
});

describe('bound parameters on MariaDB', () => {
  it('runs a statement with values as a server-side prepared statement', async () => {
    const service = uniqueService('bound');
    services.push(service);
    // One pooled connection, so the session counters below are the statements' own.
    const database = await openDatabase(mysqlConfig(service, { poolSize: 1 }), {
      entities: [accountSchema],
      migrations: [CreateAccountTable],
    });
    try {
      const executed = async () => {
        const [row] = await database
          .em()
          .execute<{ Value: string }[]>("show session status like 'Com_stmt_execute'");
        return Number(row?.Value);
      };
      const before = await executed();
      await database.em().find(accountSchema, { owner: hostile });
      expect(await executed()).toBe(before + 1);
    } finally {
      await database.close();
    }
  });
});
