import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { CHECKOUT_OUTCOMES, type CheckoutCommand } from '@strata/ordering';
import { aCheckout, approved, type CheckoutWorld } from './checkout.world.ts';
import { ownerOf } from './order.mother.ts';

/*
 * The checkout and a real Order together, with the payment provider, the learner, learning and
 * the clock acting in any order and repeating themselves: the order is paid once at most, every
 * payment it does not keep goes back to the learner, and an outcome matches the order's status.
 */

type Action = (world: CheckoutWorld) => void;

const paymentId = fc.constantFrom('pay_1', 'pay_2');
const course = fc.constantFrom(0, 1);

const action: fc.Arbitrary<Action> = fc.oneof(
  paymentId.map(
    (id): Action =>
      (world) =>
        world.hear({ type: 'PaymentRequested', paymentId: id, paymentPageUrl: 'https://pay/p' }),
  ),
  paymentId.map(
    (id): Action =>
      (world) =>
        world.hear(approved(id)),
  ),
  paymentId.map(
    (id): Action =>
      (world) =>
        world.hear({ ...approved(id), amount: { amount: 100, currency: 'EUR' } }),
  ),
  paymentId.map(
    (id): Action =>
      (world) =>
        world.hear({ type: 'PaymentDeclined', paymentId: id }),
  ),
  fc.integer({ min: 0, max: 40 * 60_000 }).map((ms): Action => (world) => {
    world.clock.advance(ms);
    world.hear({ type: 'DeadlinePassed' });
  }),
  fc.constant<Action>((world) => world.onOrder((order) => order.cancel(ownerOf(order), world.clock))),
  fc.constant<Action>((world) =>
    world.onOrder((order) =>
      order.requestRefund({ reason: 'learner-request', certifiedCourseIds: [] }, ownerOf(order), world.clock),
    ),
  ),
  course.map(
    (index): Action =>
      (world) =>
        world.hear({ type: 'EnrollmentGranted', courseId: world.order.courseIds[index]! }),
  ),
  course.map(
    (index): Action =>
      (world) =>
        world.hear({
          type: 'EnrollmentImpossible',
          courseId: world.order.courseIds[index]!,
          reason: 'archived',
        }),
  ),
  // The provider carries out every refund it was asked for (again, if it already did).
  fc.constant<Action>((world) => {
    const refunds = world.toProvider.filter(
      (command): command is Extract<CheckoutCommand, { type: 'RefundPayment' }> =>
        command.type === 'RefundPayment',
    );
    for (const refund of refunds) {
      world.hear({
        type: 'PaymentRefunded',
        paymentId: refund.paymentId,
        refundId: `re_${refund.paymentId}`,
        refundedAt: world.clock.now().toISOString(),
      });
    }
  }),
);

const OUTCOME_STATUS: Record<string, string> = {
  completed: 'paid',
  cancelled: 'cancelled',
  expired: 'expired',
  refunded: 'refunded',
};

describe('the checkout with a real order', () => {
  it('pays the order once at most, refunds every payment it does not keep, and ends as the order does', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 30 }), (actions) => {
        const world = aCheckout();
        const approvedIds = new Set<string>();
        for (const act of actions) {
          const heardBefore = world.sent.length;
          act(world);
          for (const command of world.sent.slice(heardBefore)) {
            if (command.type === 'ConfirmOrderPayment') approvedIds.add(command.paymentId);
          }
        }
        const paidEvents = world.order.pendingEvents.filter((event) => event.type === 'OrderPaid');
        expect(paidEvents.length).toBeLessThanOrEqual(1);
        const kept = world.order.payment?.paymentId;
        const refunded = new Set(
          world.toProvider.flatMap((command) =>
            command.type === 'RefundPayment' ? [command.paymentId] : [],
          ),
        );
        for (const id of approvedIds) if (id !== kept) expect(refunded).toContain(id);
        if (world.state.paidAt !== null) expect(world.state.paymentId).toBe(kept);
        if (CHECKOUT_OUTCOMES.includes(world.state.step)) {
          expect(world.order.status).toBe(OUTCOME_STATUS[world.state.step]);
        }
      }),
      { numRuns: 150 },
    );
  });
});
