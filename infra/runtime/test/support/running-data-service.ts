import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InProcessEventBroker } from '@strata/events';
import { dropDatabase, mysqlDatabase } from '@strata/persistence/test-support';
import { createContractClient, inProcessInvoke, type ContractClient, type Invoke } from '@strata/rpc';
import { RpcError, systemClock, type Contract, type SerializedError } from '@strata/shared-kernel';
import type { DataService, DataServiceOptions } from '../../src/data-service/index.ts';
import { createLogger } from '../../src/logger.ts';

export interface RunningDataService<TService extends DataService> {
  readonly service: TService;
  /** A client of one of its contracts, calling it in-process as a caller across the network would. */
  clientOf<TContract extends Contract>(contract: TContract): ContractClient<TContract>;
  /** Closes the service and deletes its database (the SQLite file, or the MariaDB schema). */
  stop(): Promise<void>;
}

/**
 * A data service as `npm start` composes it (SQLite in a temporary folder, in-process broker,
 * quiet logger) for a test that needs one running and does not care about its storage.
 */
export async function sqliteDataService<TService extends DataService>(
  create: (options: DataServiceOptions) => Promise<TService>,
  overrides: Partial<Omit<DataServiceOptions, 'database'>> = {},
): Promise<RunningDataService<TService>> {
  const dir = await mkdtemp(join(tmpdir(), 'strata-sqlite-service-'));
  const database = { kind: 'sqlite' as const, file: join(dir, 'service.sqlite') };
  return start(create, database, overrides, () => rm(dir, { recursive: true, force: true }));
}

/**
 * A data service as distributed mode composes its storage, on the schema of `schemaService` (a
 * `uniqueService` name) on the dev stack's MariaDB, with an in-process broker.
 */
export function mariaDbDataService<TService extends DataService>(
  create: (options: DataServiceOptions) => Promise<TService>,
  schemaService: string,
  overrides: Partial<Omit<DataServiceOptions, 'database'>> = {},
): Promise<RunningDataService<TService>> {
  return start(create, mysqlDatabase(schemaService), overrides, () => dropDatabase(schemaService));
}

async function start<TService extends DataService>(
  create: (options: DataServiceOptions) => Promise<TService>,
  database: DataServiceOptions['database'],
  overrides: Partial<Omit<DataServiceOptions, 'database'>>,
  removeStorage: () => Promise<void>,
): Promise<RunningDataService<TService>> {
  const service = await create({
    database,
    clock: systemClock,
    broker: new InProcessEventBroker(),
    logger: createLogger({ service: 'test-data-service', level: 'silent' }),
    ...overrides,
  });
  return {
    service,
    clientOf: (contract) =>
      createContractClient(contract, { service: service.name, invoke: inProcessInvoke(service.handler) }),
    async stop() {
      await service.close();
      await removeStorage();
    },
  };
}

/** The error an RPC call was refused with; fails the test when the call succeeds. */
export async function refusal(call: Promise<unknown>): Promise<SerializedError> {
  try {
    await call;
  } catch (error) {
    return error as SerializedError;
  }
  throw new Error('expected the call to be refused');
}

/**
 * How a suite hands an app a data service it does not run: every call answers UNAVAILABLE, as a
 * data service that is down would, naming the suite's reason. A suite that reaches it by mistake
 * fails with that name, not with a hang.
 */
export function absentDataService(service: string, reason: string): Invoke {
  return async () => {
    throw new RpcError('UNAVAILABLE', `${service} is not running in this suite: ${reason}`);
  };
}
