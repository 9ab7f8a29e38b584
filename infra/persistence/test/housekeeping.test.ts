import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId } from '@strata/shared-kernel';
import { deleteExpiredRows, openDatabase, type Database } from '@strata/persistence';
import { dropDatabase, mysqlConfig, uniqueService } from './support/databases.ts';

const now = Date.parse('2026-03-01T10:00:00Z');
const day = 24 * 3_600_000;

async function addOutboxRow(database: Database, sentAt: number | null): Promise<string> {
  const eventId = newId();
  await database.em().execute(
    `insert into outbox (event_id, topic, event_type, aggregate_type, aggregate_id, aggregate_version,
       envelope, created_at, sent_at) values (?, 'strata.bench', 'Ticked', 'Tick', ?, 1, '{}', ?, ?)`,
    [eventId, newId(), now - 30 * day, sentAt],
    'run',
  );
  return eventId;
}

async function addIdempotencyKey(database: Database, key: string, expiresAt: number): Promise<void> {
  await database.em().execute(
    `insert into idempotency_keys (caller, idempotency_key, method, result, created_at, expires_at)
       values ('learner-api', ?, 'Order.place', ?, ?, ?)`,
    [key, Buffer.from('ok'), expiresAt - day, expiresAt],
    'run',
  );
}

async function remaining(database: Database, sql: string): Promise<string[]> {
  const rows = await database.em().execute<{ id: string }[]>(sql);
  return rows.map((row) => row.id).sort();
}

function describeHousekeeping(dialect: string, open: () => Promise<Database>, drop: () => Promise<void>) {
  describe(`housekeeping on ${dialect}`, () => {
    let database: Database;

    beforeAll(async () => {
      database = await open();
    });
    afterAll(async () => {
      await database.close();
      await drop();
    });

    it('deletes expired idempotency keys and sent outbox and inbox rows past retention, and nothing else', async () => {
      const sentLongAgo = await addOutboxRow(database, now - 8 * day);
      const sentRecently = await addOutboxRow(database, now - day);
      const neverSent = await addOutboxRow(database, null);
      await addIdempotencyKey(database, 'expired', now - 1);
      await addIdempotencyKey(database, 'live', now + 60_000);
      for (const [eventId, handledAt] of [
        ['handled-long-ago', now - 8 * day],
        ['handled-recently', now - day],
      ] as const) {
        await database
          .em()
          .execute(
            'insert into inbox (consumer_group, event_id, handled_at) values (?, ?, ?)',
            ['sales', eventId, handledAt],
            'run',
          );
      }

      const deleted = await deleteExpiredRows(database, { retainHandledMs: 7 * day, now: () => now });

      expect(deleted).toEqual({ idempotencyKeys: 1, outbox: 1, inbox: 1 });
      expect(await remaining(database, 'select event_id as id from outbox')).toEqual(
        [sentRecently, neverSent].sort(),
      );
      expect(await remaining(database, 'select event_id as id from outbox')).not.toContain(sentLongAgo);
      expect(await remaining(database, 'select idempotency_key as id from idempotency_keys')).toEqual([
        'live',
      ]);
      expect(await remaining(database, 'select event_id as id from inbox')).toEqual(['handled-recently']);
      expect(await deleteExpiredRows(database, { retainHandledMs: 7 * day, now: () => now })).toEqual({
        idempotencyKeys: 0,
        outbox: 0,
        inbox: 0,
      });
    });
  });
}

const service = uniqueService('housekeeping');
describeHousekeeping(
  'MariaDB',
  () => openDatabase(mysqlConfig(service), { entities: [] }),
  () => dropDatabase(service),
);

let directory = '';
describeHousekeeping(
  'SQLite',
  async () => {
    directory = await mkdtemp(join(tmpdir(), 'strata-housekeeping-'));
    return openDatabase(
      { kind: 'sqlite', service: 'housekeeping', file: join(directory, 'strata.db') },
      { entities: [] },
    );
  },
  () => rm(directory, { recursive: true, force: true }),
);
