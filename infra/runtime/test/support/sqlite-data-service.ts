import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InProcessEventBroker } from '@strata/events';
import { systemClock } from '@strata/shared-kernel';
import type { DataService, DataServiceOptions } from '../../src/data-service/index.ts';
import { createLogger } from '../../src/logger.ts';

export interface SqliteDataService<TService extends DataService> {
  readonly service: TService;
  /** Closes the service and deletes its database file. */
  stop(): Promise<void>;
}

/**
 * A data service as `npm start` composes it (SQLite in a temporary folder, in-process broker,
 * quiet logger) for a test that needs one running and does not care about its storage.
 */
export async function sqliteDataService<TService extends DataService>(
  create: (options: DataServiceOptions) => Promise<TService>,
  overrides: Partial<Omit<DataServiceOptions, 'database'>> = {},
): Promise<SqliteDataService<TService>> {
  const dir = await mkdtemp(join(tmpdir(), 'strata-sqlite-service-'));
  const service = await create({
    database: { kind: 'sqlite', file: join(dir, 'service.sqlite') },
    clock: systemClock,
    broker: new InProcessEventBroker(),
    logger: createLogger({ service: 'test-data-service', level: 'silent' }),
    ...overrides,
  });
  return {
    service,
    async stop() {
      await service.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
