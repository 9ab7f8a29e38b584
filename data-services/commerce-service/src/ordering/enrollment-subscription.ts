import type { SqlEntityManager } from '@mikro-orm/sql';
import type { EventEnvelope, EventHandler } from '@strata/events';
import { learningContract } from '@strata/learning/contract';
import type { CheckoutRunner } from './checkout-runner.ts';

const { EnrollmentGranted } = learningContract.aggregates.Enrollment.events;

/**
 * A checkout is completed when learning has granted every course of its order: it hears
 * learning's EnrollmentGranted, from learning's published language alone, for the order named as
 * the grant's source. A grant of a free course, or of an order with no checkout, changes nothing;
 * a redelivery is heard as before and changes nothing either.
 */
export function checkoutEnrollmentHandlers(
  runner: CheckoutRunner,
): Record<string, EventHandler<SqlEntityManager>> {
  return {
    EnrollmentGranted: async (envelope: EventEnvelope, session: SqlEntityManager) => {
      const granted = EnrollmentGranted.payload.parse(envelope.payload);
      if (granted.source.kind !== 'order') return;
      await runner.hear(
        granted.source.orderId,
        { type: 'EnrollmentGranted', courseId: granted.courseId },
        session,
      );
    },
  };
}
