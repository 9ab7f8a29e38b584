import { catalogContract } from '@strata/catalog/contract';
import { implementContract } from '@strata/rpc';
import type { HostedContext } from '@strata/runtime/data-service';
import { catalogImplementation } from './catalog-implementation.ts';
import { courseRecordSchema, courseStorage } from './course-record.ts';
import { CreateCoursesTable } from './migrations/create-courses-table.ts';
import { SqlCatalogQueries } from './sql-catalog-queries.ts';

/** The catalog as commerce-service hosts it: the Course aggregate on its own table. */
export const hostedCatalog: HostedContext = {
  contract: catalogContract,
  aggregates: { Course: courseStorage },
  serve: ({ unitOfWork, session, options }) =>
    implementContract(catalogContract, catalogImplementation(new SqlCatalogQueries(session)), {
      unitOfWork,
      clock: options.clock,
      logger: options.logger,
    }),
};

export const catalogMapping = { entities: [courseRecordSchema], migrations: [CreateCoursesTable] };
