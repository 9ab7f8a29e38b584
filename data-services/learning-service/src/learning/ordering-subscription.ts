import type { SqlEntityManager } from '@mikro-orm/sql';
import type { EventEnvelope, EventHandler } from '@strata/events';
import { Enrollment, type LearningQueries, type OrderFacts } from '@strata/learning';
import { orderingContract } from '@strata/ordering/contract';
import type { MikroOrmUnitOfWork } from '@strata/persistence';
import type { Clock } from '@strata/shared-kernel';

const { OrderPaid, OrderRefunded } = orderingContract.aggregates.Order.events;

/** Each course line of an order, as the facts the Enrollment hears. */
function factsOf(order: {
  orderId: string;
  learnerId: string;
  lines: readonly { courseId: string }[];
}): OrderFacts[] {
  return order.lines.map((line) => ({
    learnerId: order.learnerId,
    courseId: line.courseId,
    orderId: order.orderId,
  }));
}

/**
 * Ordering's OrderPaid grants each course of the order, OrderRefunded revokes it: facts, never
 * refused, handled through ordering's published language alone. Each runs as one unit of work
 * inside the inbox's transaction, so the enrollments, their events in the outbox and the inbox row
 * commit together. What makes them idempotent is the Enrollment itself (a grant of an active
 * enrollment, or a refund heard twice, changes nothing and records nothing) and the unique
 * (learner, course) index: a consumer racing another one for the same learner and course (two
 * orders, on two partitions) fails its insert, and the inbox retries it against the row that won.
 */
export function orderingEnrollmentHandlers(parts: {
  unitOfWork: MikroOrmUnitOfWork;
  /** Read through the unit of work's running session: inside `run`, the inbox's transaction. */
  queries: Pick<LearningQueries, 'enrollmentOf'>;
  clock: Clock;
}): Record<string, EventHandler<SqlEntityManager>> {
  const { unitOfWork, queries, clock } = parts;
  const each = (
    facts: OrderFacts[],
    session: SqlEntityManager,
    act: (existing: Enrollment | null, fact: OrderFacts) => Enrollment | null,
  ) =>
    unitOfWork.run(
      async (scope) => {
        const enrollments = scope.repository<Enrollment>('Enrollment');
        for (const fact of facts) {
          const found = await queries.enrollmentOf(fact.learnerId, fact.courseId);
          const existing = found === null ? null : await enrollments.findById(found.id);
          const opened = act(existing, fact);
          if (opened !== null) enrollments.add(opened);
        }
      },
      { within: session },
    );
  return {
    OrderPaid: async (envelope: EventEnvelope, session: SqlEntityManager) => {
      const paid = OrderPaid.payload.parse(envelope.payload);
      await each(factsOf(paid), session, (existing, fact) => {
        if (existing === null) return Enrollment.grantFromOrder(fact, clock);
        existing.grantAgainFromOrder(fact.orderId, clock);
        return null;
      });
    },
    OrderRefunded: async (envelope: EventEnvelope, session: SqlEntityManager) => {
      const refunded = OrderRefunded.payload.parse(envelope.payload);
      await each(factsOf(refunded), session, (existing, fact) => {
        if (existing === null) return Enrollment.withholdForEarlyRefund(fact);
        existing.revokeForRefund(fact.orderId, clock);
        return null;
      });
    },
  };
}
