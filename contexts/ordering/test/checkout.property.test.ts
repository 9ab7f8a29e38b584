import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  BEFORE_PAYMENT,
  CheckoutCommandSchema,
  CheckoutInputSchema,
  CHECKOUT_STEPS,
  CheckoutStateSchema,
  decideCheckout,
  ORDER_STATUSES,
  startCheckout,
  type CheckoutCommand,
  type CheckoutInput,
  type CheckoutState,
  type OrderPlaced,
} from '@strata/ordering';

/*
 * Whatever arrives, in whatever order, as often as it likes: the checkout stays in a legal state,
 * keeps at most one payment and refunds every other, never compensates after the pivot, never
 * leaves a final outcome, hears any input twice as once, and only ever sends commands its schema
 * accepts.
 */

const COURSES = ['0190d5a2-7b3c-7def-8123-000000000001', '0190d5a2-7b3c-7def-8123-000000000002'];
const placed: OrderPlaced = {
  orderId: '0190d5a2-7b3c-7def-8123-0000000000aa',
  learnerId: '0190d5a2-7b3c-7def-8123-0000000000bb',
  lines: COURSES.map((courseId) => ({
    courseId,
    instructorId: '0190d5a2-7b3c-7def-8123-0000000000cc',
    title: 'Some course',
    price: { amount: 4900, currency: 'EUR' },
  })),
  total: { amount: 9800, currency: 'EUR' },
  paymentDeadline: '2026-05-04T10:30:00.000Z',
};
const START = Date.parse('2026-05-04T10:00:00.000Z');

const paymentId = fc.constantFrom('pay_1', 'pay_2', 'pay_3');
const courseId = fc.constantFrom(...COURSES, '0190d5a2-7b3c-7def-8123-0000000000ff');
const commandType = fc.constantFrom<CheckoutCommand['type']>(
  'RequestPayment',
  'ConfirmOrderPayment',
  'RecordPaymentFailure',
  'ExpireOrder',
  'RequestOrderRefund',
  'RefundPayment',
  'ConfirmOrderRefund',
);

const input: fc.Arbitrary<CheckoutInput> = fc.oneof(
  fc.record({
    type: fc.constant('PaymentRequested' as const),
    paymentId,
    paymentPageUrl: fc.constant('https://pay/p'),
  }),
  fc.record({
    type: fc.constant('PaymentApproved' as const),
    paymentId,
    amount: fc.constant({ amount: 9800, currency: 'EUR' }),
    paidAt: fc.constant('2026-05-04T10:10:00.000Z'),
  }),
  fc.record({ type: fc.constant('PaymentDeclined' as const), paymentId }),
  fc.record({
    type: fc.constant('PaymentRefunded' as const),
    paymentId,
    refundId: fc.constantFrom('re_1', 're_2'),
    refundedAt: fc.constant('2026-05-05T00:00:00.000Z'),
  }),
  fc.record({
    type: fc.constant('OrderRefusedPayment' as const),
    paymentId,
    orderStatus: fc.constantFrom(...ORDER_STATUSES),
  }),
  fc.record({ type: fc.constant('OrderPaid' as const), paymentId }),
  fc.constant({ type: 'OrderCancelled' as const }),
  fc.constant({ type: 'OrderExpired' as const }),
  fc.record({
    type: fc.constant('RefundRequested' as const),
    reason: fc.constantFrom('learner-request' as const, 'enrollment-impossible' as const),
  }),
  fc.record({ type: fc.constant('OrderRefunded' as const), refundId: fc.constantFrom('re_1', 're_2') }),
  fc.record({ type: fc.constant('EnrollmentGranted' as const), courseId }),
  fc.record({
    type: fc.constant('EnrollmentImpossible' as const),
    courseId,
    reason: fc.constant('archived'),
  }),
  fc.record({
    type: fc.constant('CommandFailed' as const),
    command: commandType,
    attempt: fc.integer({ min: 0, max: 7 }),
    paymentId: fc.option(paymentId, { nil: undefined }),
    error: fc.constant('unavailable'),
  }),
  fc.constant({ type: 'DeadlinePassed' as const }),
);

/** An input and how long after the previous one it arrives (up to 40 minutes, often at once). */
const timedInputs = fc.array(
  fc.tuple(input, fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 40 * 60_000 }))),
  {
    maxLength: 40,
  },
);

const FINAL: readonly string[] = ['cancelled', 'expired', 'refunded'];
const AFTER_PIVOT: readonly string[] = [
  'awaiting-enrollment',
  'completed',
  'requesting-refund',
  'refunding-payment',
  'confirming-refund',
  'refunded',
];

function checkLegal(state: CheckoutState, approved: ReadonlySet<string>): void {
  expect(CheckoutStateSchema.safeParse(state).success).toBe(true);
  expect(CHECKOUT_STEPS).toContain(state.step);
  const kept = state.paidAt === null ? null : state.paymentId;
  const strays = state.strayPayments.map((stray) => stray.paymentId);
  expect(new Set(strays).size).toBe(strays.length);
  if (kept !== null) expect(strays).not.toContain(kept);
  // Every approved payment is the one kept or refunded as stray: none is silently kept or lost.
  for (const id of approved) expect(id === kept || strays.includes(id)).toBe(true);
  if (BEFORE_PAYMENT.includes(state.step)) expect(state.paidAt).toBeNull();
  if (AFTER_PIVOT.includes(state.step)) expect(state.paidAt).not.toBeNull();
}

describe('the checkout, whatever it hears', () => {
  it('stays legal, keeps one payment at most, refunds the others and hears every input twice as once', () => {
    fc.assert(
      fc.property(timedInputs, (inputs) => {
        let now = START;
        const started = startCheckout(placed, new Date(now));
        let state = started.checkout;
        const sent: CheckoutCommand[] = [...started.commands];
        const approved = new Set<string>();
        let pivoted = false;
        for (const [heard, delay] of inputs) {
          now += delay;
          const before = state;
          expect(CheckoutInputSchema.safeParse(heard).success).toBe(true);
          const decision = decideCheckout(state, heard, new Date(now));
          for (const command of decision.commands)
            expect(CheckoutCommandSchema.parse(command)).toEqual(command);
          state = decision.checkout;
          if (heard.type === 'PaymentApproved') approved.add(heard.paymentId);
          checkLegal(state, approved);
          // A final outcome is final.
          if (FINAL.includes(before.step)) expect(state.step).toBe(before.step);
          // After the pivot the order is never cancelled or expired by the checkout.
          if (pivoted) {
            expect(decision.commands.map((command) => command.type)).not.toContain('RecordPaymentFailure');
            expect(decision.commands.map((command) => command.type)).not.toContain('ExpireOrder');
          }
          pivoted ||= AFTER_PIVOT.includes(state.step);
          // Heard again, it changes nothing and sends nothing.
          expect(decideCheckout(state, heard, new Date(now))).toEqual({ checkout: state, commands: [] });
          sent.push(...decision.commands);
        }
        // Each stray payment was sent back to the learner.
        for (const stray of state.strayPayments) {
          expect(sent).toContainEqual(
            expect.objectContaining({
              type: 'RefundPayment',
              paymentId: stray.paymentId,
              purpose: 'stray-payment',
            }),
          );
        }
        // The order is only ever asked to take the payment the checkout keeps or later refunds.
        const confirmed = new Set(
          sent.flatMap((command) => (command.type === 'ConfirmOrderPayment' ? [command.paymentId] : [])),
        );
        const kept = state.paidAt === null ? null : state.paymentId;
        const strays = state.strayPayments.map((stray) => stray.paymentId);
        for (const id of confirmed) expect(id === kept || strays.includes(id)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});
