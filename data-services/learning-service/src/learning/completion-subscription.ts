import type { SqlEntityManager } from '@mikro-orm/sql';
import type { EventEnvelope, EventHandler } from '@strata/events';
import { Certificate, ENROLLMENT_EVENT_PAYLOADS } from '@strata/learning';
import type { MikroOrmUnitOfWork } from '@strata/persistence';
import type { Clock } from '@strata/shared-kernel';
import { certificateRecordSchema } from './certificate-record.ts';

/**
 * A completed course earns its certificate: learning hears its own CourseCompleted from its own
 * topic, as any reader would (as ordering's checkout hears ordering's), so the completion commits
 * with the lesson that completed it and the certificate follows, once per enrollment. A repeated
 * CourseCompleted finds the certificate and changes nothing; two racing ones meet the unique
 * enrollment index, and the inbox retries the loser, which then finds it.
 */
export function certificateHandlers(parts: {
  unitOfWork: MikroOrmUnitOfWork;
  clock: Clock;
}): Record<string, EventHandler<SqlEntityManager>> {
  return {
    CourseCompleted: async (envelope: EventEnvelope, session: SqlEntityManager) => {
      const completed = ENROLLMENT_EVENT_PAYLOADS.CourseCompleted.parse(envelope.payload);
      await parts.unitOfWork.run(
        async (scope) => {
          const issued = await scope.session.findOne(certificateRecordSchema, {
            enrollmentId: completed.enrollmentId,
          });
          if (issued !== null) return;
          scope.repository<Certificate>('Certificate').add(Certificate.issue(completed, parts.clock));
        },
        { within: session },
      );
    },
  };
}
