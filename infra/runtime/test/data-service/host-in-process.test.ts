import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InProcessEventBroker } from '@strata/events';
import { systemClock } from '@strata/shared-kernel';
import { composeDataService, hostInProcess } from '../../src/data-service/index.ts';
import { createLogger } from '../../src/logger.ts';
import {
  noticePosted,
  noticeReader,
  readerMapping,
  housekeepingRan,
  REMEMBER_JOB,
  spendIdempotencyKey,
  until,
  type ReaderLog,
} from './notice-reader.ts';

// Embedded mode as `npm start` runs a data service: SQLite, the in-process broker, SQL jobs.
describe('hostInProcess (embedded)', () => {
  let dir = '';

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('feeds a hosted context the events it subscribes to, once each, runs its jobs and housekeeping in its database, and stops cleanly', async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-host-in-process-'));
    const broker = new InProcessEventBroker();
    const log: ReaderLog = { notices: [], jobs: [] };
    const service = await composeDataService(
      { service: 'reader-service', mapping: readerMapping, contexts: [noticeReader(log)] },
      {
        database: { kind: 'sqlite', file: join(dir, 'reader.sqlite') },
        clock: systemClock,
        broker,
        logger: createLogger({ service: 'reader-service', level: 'silent' }),
        housekeeping: { retainHandledMs: 3_600_000, recurrence: { everyMs: 500 } },
      },
    );
    const stop = await hostInProcess(service, broker);
    let stopped = false;
    try {
      const first = noticePosted('first');
      // The in-process publish resolves once subscribers handled it: the copy finds the inbox row.
      await broker.publish([first]);
      await broker.publish([first]);
      await broker.publish([noticePosted('second')]);
      expect(log.notices).toEqual(['first', 'second']);

      await service.jobs.schedule({ name: REMEMBER_JOB, payload: { text: 'later' }, delayMs: 100 });
      await until('the job ran', () => log.jobs.length > 0);
      expect(log.jobs).toEqual(['later']);

      await spendIdempotencyKey(service.database);
      await housekeepingRan(service.database);
      expect(await service.jobs.failures(20)).toEqual([]);

      await stop();
      stopped = true;
      // Unsubscribed: a later event reaches nobody.
      await broker.publish([noticePosted('after stop')]);
      expect(log.notices).toEqual(['first', 'second']);
    } finally {
      if (!stopped) await stop();
    }
  });
});
