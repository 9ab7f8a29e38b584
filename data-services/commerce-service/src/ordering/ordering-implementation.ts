import {
  maySeeCheckoutsOf,
  maySeeOrdersOf,
  maySeeSalesOf,
  Order,
  toCheckoutView,
  toOrderView,
  type Checkout,
  type OrderingQueries,
  type OrderTerms,
} from '@strata/ordering';
import type { orderingContract } from '@strata/ordering/contract';
import { actorOf, type CallContext, type ContractImplementation } from '@strata/rpc';
import { DomainError, Money, type Actor } from '@strata/shared-kernel';
import type { CheckoutRunner } from './checkout-runner.ts';

const money = (price: { amount: number; currency: string }): Money => Money.of(price.amount, price.currency);

/** Who may read what is the context's decision (maySeeOrdersOf, maySeeSalesOf); the finders enforce it. */
function mayRead(allowed: boolean, context: CallContext, whose: string): void {
  if (allowed) return;
  throw DomainError.permissionDenied(
    'orders-and-sales-are-their-owners-to-see',
    whose === 'operator'
      ? `${context.method}: only an operator (admin) may see checkouts across learners`
      : `${context.method}: only the ${whose} themselves (or an admin) may see these`,
  );
}

/**
 * The ordering contract served by the Order and Checkout aggregates: each handler is one domain
 * method, with the caller as the domain's actor; which reports only the checkout may make
 * (CHECKOUT_ACTOR), that only the provider reports payment events, and every other rule are the
 * aggregates' own. Placing reads the offers and the learner's standing first; placing again
 * answers the order already awaiting payment, loaded as stored, not a new one.
 */
export function orderingImplementation(
  queries: OrderingQueries,
  terms: OrderTerms,
  checkouts: Pick<CheckoutRunner, 'before' | 'scheduleAdded'>,
): ContractImplementation<typeof orderingContract, { Order: Order; Checkout: Checkout }> {
  return {
    Order: {
      aggregateType: 'Order',
      toView: toOrderView,
      creations: {
        place: {
          create: async (input, context, existing) => {
            const actor: Actor = actorOf(context);
            const courseIds = input.courses.map((course) => course.courseId);
            const placement = Order.place(
              {
                courses: input.courses.map((course) => ({
                  ...course,
                  expectedPrice: money(course.expectedPrice),
                })),
              },
              {
                offers: await queries.offersOf(courseIds),
                standing: await queries.standingOf(actor.userId, courseIds),
                terms,
              },
              actor,
              context.clock,
            );
            return placement.outcome === 'placed' ? placement.order : existing.load(placement.orderId);
          },
          respond: (order, outcome) => ({
            outcome: outcome === 'created' ? 'placed' : 'already-pending',
            order: toOrderView(order),
          }),
        },
      },
      commands: {
        cancel: (order, _input, context) => order.cancel(actorOf(context), context.clock),
        recordPaymentFailure: (order, input, context) =>
          order.recordPaymentFailure(input.reason, actorOf(context), context.clock),
        expire: (order, _input, context) => order.expire(actorOf(context), context.clock),
        confirmPayment: (order, input, context) =>
          order.confirmPayment(
            { paymentId: input.paymentId, amount: money(input.amount), paidAt: new Date(input.paidAt) },
            actorOf(context),
            context.clock,
          ),
        requestRefund: async (order, input, context) => {
          const actor = actorOf(context);
          const standing = await queries.standingOf(order.learnerId, order.courseIds);
          order.requestRefund(
            { reason: input.reason, certifiedCourseIds: standing.certifiedCourseIds },
            actor,
            context.clock,
          );
        },
        confirmRefund: (order, input, context) =>
          order.confirmRefund(
            { refundId: input.refundId, refundedAt: new Date(input.refundedAt) },
            actorOf(context),
            context.clock,
          ),
      },
      queries: {
        findByLearner: (input, _scope, context) => {
          mayRead(maySeeOrdersOf(context.caller, input.learnerId), context, 'learner');
          return queries.ordersOfLearner(input);
        },
        findByPayment: async (input, _scope, context) => {
          const order = await queries.orderPaidBy(input.paymentId);
          if (order === null) return { items: [], nextCursor: null };
          mayRead(maySeeOrdersOf(context.caller, order.learnerId), context, 'learner');
          return { items: [order], nextCursor: null };
        },
        findSalesOfInstructor: (input, _scope, context) => {
          mayRead(maySeeSalesOf(context.caller, input.instructorId), context, 'instructor');
          return queries.salesOfInstructor(input);
        },
      },
    },
    Checkout: {
      aggregateType: 'Checkout',
      toView: toCheckoutView,
      commands: {
        // The provider's event, verified by the webhook receiver. A repeat (the same event, or another
        // event id saying the same) is heard as before and changes nothing; what it adds is scheduled
        // before the commit (see CheckoutRunner.scheduleAdded).
        reportPaymentEvent: async (checkout, input, context) => {
          const before = checkouts.before(checkout);
          checkout.hearPaymentEvent(input, actorOf(context), context.clock.now());
          await checkouts.scheduleAdded(checkout, before);
        },
      },
      queries: {
        findUnfinished: (input, _scope, context) => {
          mayRead(maySeeCheckoutsOf(context.caller), context, 'operator');
          return queries.unfinishedCheckouts(input);
        },
      },
    },
  };
}
