import { catalogContract } from '@strata/catalog/contract';
import { implementContract } from '@strata/rpc';
import {
  composeDataService,
  type DataService,
  type DataServiceOptions,
  type HostedContext,
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

const catalog: HostedContext = {
  contract: catalogContract,
  aggregates: { Course: courseStorage },
  serve: ({ unitOfWork, session, options }) =>
    implementContract(catalogContract, catalogImplementation(new SqlCatalogQueries(session)), {
      unitOfWork,
      clock: options.clock,
      logger: options.logger,
    }),
};

/** Composes the commerce data service: the same code embedded (SQLite, in-process broker) and distributed. */
export function createCommerceService(options: CommerceServiceOptions): Promise<CommerceService> {
  return composeDataService(
    { service: COMMERCE_SERVICE, mapping: commerceMapping, contexts: [catalog] },
    options,
  );
}
