import { catalogContract } from '@strata/catalog/contract';
import { learningContract } from '@strata/learning/contract';
import { orderingContract } from '@strata/ordering/contract';
import { implementContract } from '@strata/rpc';
import type { ContextServing, HostedContext } from '@strata/runtime/data-service';
import { catalogOutlineHandlers } from './catalog-subscription.ts';
import { certificateRecordSchema, certificateStorage } from './certificate-record.ts';
import { certificateHandlers } from './completion-subscription.ts';
import { enrollmentRecordSchema, enrollmentStorage } from './enrollment-record.ts';
import { learningImplementation } from './learning-implementation.ts';
import { CreateCertificatesTable } from './migrations/create-certificates-table.ts';
import { CreateEnrollmentsTable } from './migrations/create-enrollments-table.ts';
import { CreateLearningOutlines } from './migrations/create-learning-outlines.ts';
import { orderingEnrollmentHandlers } from './ordering-subscription.ts';
import { outlineRecordSchema } from './outline-record.ts';
import { SqlLearningQueries } from './sql-learning-queries.ts';

const queriesOf = (serving: ContextServing) =>
  new SqlLearningQueries(serving.session, serving.options.database.kind);

/**
 * Learning as learning-service hosts it: the Enrollment and the Certificate on their own tables,
 * its own records of the catalog's course outlines kept from the catalog's events (never its
 * tables or code), enrollments granted and revoked by ordering's events, and certificates issued
 * from its own CourseCompleted, all through the inbox in one consumer group.
 */
export const hostedLearning: HostedContext = {
  contract: learningContract,
  aggregates: { Enrollment: enrollmentStorage, Certificate: certificateStorage },
  serve: (serving) =>
    implementContract(learningContract, learningImplementation(queriesOf(serving)), {
      unitOfWork: serving.unitOfWork,
      clock: serving.options.clock,
      logger: serving.options.logger,
    }),
  subscribe: (serving) => {
    const parts = {
      unitOfWork: serving.unitOfWork,
      queries: queriesOf(serving),
      clock: serving.options.clock,
    };
    return {
      from: [catalogContract, orderingContract, learningContract],
      handlers: {
        ...catalogOutlineHandlers(parts),
        ...orderingEnrollmentHandlers(parts),
        ...certificateHandlers(parts),
      },
    };
  },
};

export const learningMapping = {
  entities: [enrollmentRecordSchema, certificateRecordSchema, outlineRecordSchema],
  migrations: [CreateEnrollmentsTable, CreateCertificatesTable, CreateLearningOutlines],
};
