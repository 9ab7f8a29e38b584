import { catalogContract } from '@strata/catalog/contract';
import { contractEventCatalog } from '@strata/events';
import { MikroOrmUnitOfWork, openDatabase } from '@strata/persistence';
import { implementContract } from '@strata/rpc';
import {
  assembleDataService,
  CallCause,
  DEFAULT_IDEMPOTENCY_WINDOW_MS,
  type DataService,
  type DataServiceOptions,
} from '@strata/runtime/data-service';
import { catalogImplementation } from './catalog/catalog-implementation.ts';
import { courseRecordSchema, courseStorage } from './catalog/course-record.ts';
import { CreateCoursesTable } from './catalog/migrations/create-courses-table.ts';
import { SqlCatalogQueries } from './catalog/sql-catalog-queries.ts';

export const COMMERCE_SERVICE = 'commerce-service';

/** Serves the catalog contract (ordering joins it later). */
export type CommerceService = DataService;
export type CommerceServiceOptions = DataServiceOptions;

/** Each hosted context brings its own mappings and migrations; they share the service's schema and outbox. */
export const commerceMapping = { entities: [courseRecordSchema], migrations: [CreateCoursesTable] };

/** Composes the commerce data service: the same code embedded (SQLite, in-process broker) and distributed. */
export async function createCommerceService(options: CommerceServiceOptions): Promise<CommerceService> {
  const database = await openDatabase({ service: COMMERCE_SERVICE, ...options.database }, commerceMapping);
  const callCause = new CallCause();
  const unitOfWork = new MikroOrmUnitOfWork({
    database,
    cause: callCause.current,
    aggregates: { Course: courseStorage },
    events: contractEventCatalog(catalogContract),
    topicNamespace: options.eventNamespace,
    idempotencyWindowMs: options.idempotencyWindowMs ?? DEFAULT_IDEMPOTENCY_WINDOW_MS,
  });
  const handler = implementContract(
    catalogContract,
    catalogImplementation(new SqlCatalogQueries(() => unitOfWork.session())),
    {
      unitOfWork,
      clock: options.clock,
      logger: options.logger,
    },
  );
  return assembleDataService({ service: COMMERCE_SERVICE, database, handler, callCause, options });
}
