import { DomainError, FixedClock, Money } from '@strata/shared-kernel';
import {
  decideCheckout,
  startCheckout,
  type CheckoutCommand,
  type CheckoutInput,
  type CheckoutState,
  type Order,
  type OrderPlaced,
} from '@strata/ordering';
import { aLearner, anOffer, aPendingOrder, PLACED_AT, theCheckout } from './order.mother.ts';

/** The order's refusals that mean it will never take this payment: the checkout refunds it. */
const NEVER_TAKEN = [
  'order-cannot-be-paid-once-closed',
  'order-cannot-be-paid-twice',
  'payment-must-match-the-order-total',
];

/**
 * A checkout wired to a real Order, as the data service will wire them: commands addressed to the
 * order are carried out on it, its events and refusals come back as inputs. What goes to the
 * payment provider is only written down; the test plays the provider.
 */
export class CheckoutWorld {
  readonly clock: FixedClock;
  readonly order: Order;
  readonly toProvider: CheckoutCommand[] = [];
  /** Every command sent, in order. */
  readonly sent: CheckoutCommand[] = [];
  #state: CheckoutState;

  constructor(order: Order, placed: OrderPlaced, clock: FixedClock) {
    this.clock = clock;
    this.order = order;
    const { checkout, commands } = startCheckout(placed, clock.now());
    this.#state = checkout;
    this.#carryOut(commands);
  }

  get state(): CheckoutState {
    return this.#state;
  }

  /** Delivers an input (a webhook, a reply, an event of another context, the timer). */
  hear(input: CheckoutInput): void {
    const { checkout, commands } = decideCheckout(this.#state, input, this.clock.now());
    this.#state = checkout;
    this.#carryOut(commands);
  }

  /** Someone acts on the order directly (the learner cancels, asks for a refund); the checkout hears what it recorded. */
  onOrder(action: (order: Order) => void): void {
    const before = this.order.pendingEvents.length;
    try {
      action(this.order);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
    for (const event of this.order.pendingEvents.slice(before)) this.hear(asInput(event.type, event.payload));
  }

  #carryOut(commands: readonly CheckoutCommand[]): void {
    for (const command of commands) {
      this.sent.push(command);
      if (command.type === 'RequestPayment' || command.type === 'RefundPayment') {
        this.toProvider.push(command);
        continue;
      }
      const before = this.order.pendingEvents.length;
      try {
        this.#toOrder(command);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        if (command.type === 'ConfirmOrderPayment' && NEVER_TAKEN.includes(error.code)) {
          this.hear({
            type: 'OrderRefusedPayment',
            paymentId: command.paymentId,
            orderStatus: this.order.status,
          });
          continue;
        }
        this.hear({
          type: 'CommandFailed',
          command: command.type,
          attempt: command.attempt,
          error: error.code,
        });
        continue;
      }
      for (const event of this.order.pendingEvents.slice(before))
        this.hear(asInput(event.type, event.payload));
    }
  }

  #toOrder(command: CheckoutCommand): void {
    const clock = this.clock;
    switch (command.type) {
      case 'ConfirmOrderPayment':
        return this.order.confirmPayment(
          {
            paymentId: command.paymentId,
            amount: Money.of(command.amount.amount, command.amount.currency),
            paidAt: new Date(command.paidAt),
          },
          theCheckout,
          clock,
        );
      case 'RecordPaymentFailure':
        return this.order.recordPaymentFailure(command.reason, theCheckout, clock);
      case 'ExpireOrder':
        return this.order.expire(theCheckout, clock);
      case 'RequestOrderRefund':
        return this.order.requestRefund(
          { reason: 'enrollment-impossible', certifiedCourseIds: [] },
          theCheckout,
          clock,
        );
      case 'ConfirmOrderRefund':
        return this.order.confirmRefund(
          { refundId: command.refundId, refundedAt: new Date(command.refundedAt) },
          theCheckout,
          clock,
        );
      default:
        throw new Error(`${command.type} is not for the order`);
    }
  }
}

/** An order's event as the checkout hears it through the inbox. */
export function asInput(type: string, payload: unknown): CheckoutInput {
  const fields = payload as Record<string, string>;
  switch (type) {
    case 'OrderPaid':
      return { type, paymentId: fields.paymentId! };
    case 'OrderCancelled':
    case 'OrderExpired':
      return { type };
    case 'RefundRequested':
      return { type, reason: fields.reason as 'learner-request' | 'enrollment-impossible' };
    case 'OrderRefunded':
      return { type, refundId: fields.refundId! };
    default:
      throw new Error(`the checkout does not hear ${type}`);
  }
}

export const PAID_AT = '2026-05-04T10:12:00.000Z';

export function placedEventOf(order: Order): OrderPlaced {
  return {
    orderId: order.id,
    learnerId: order.learnerId,
    lines: order.lines.map((line) => ({ ...line, price: line.price.toJSON() })),
    total: order.total.toJSON(),
    paymentDeadline: order.paymentDeadline.toISOString(),
  };
}

/** A checkout started for a fresh order of two courses, its payment requested. */
export function aCheckout(): CheckoutWorld {
  const order = aPendingOrder(aLearner(), [anOffer(), anOffer()]);
  return new CheckoutWorld(order, placedEventOf(order), new FixedClock(PLACED_AT));
}

export function awaitingPayment(): CheckoutWorld {
  const world = aCheckout();
  world.hear({ type: 'PaymentRequested', paymentId: 'pay_1', paymentPageUrl: 'https://pay.example/p/pay_1' });
  return world;
}

export const approved = (paymentId = 'pay_1'): Extract<CheckoutInput, { type: 'PaymentApproved' }> => ({
  type: 'PaymentApproved',
  paymentId,
  amount: { amount: 9800, currency: 'EUR' },
  paidAt: PAID_AT,
});

export function paid(): CheckoutWorld {
  const world = awaitingPayment();
  world.clock.set(PAID_AT);
  world.hear(approved());
  return world;
}

export function enrollEvery(world: CheckoutWorld): void {
  for (const courseId of world.order.courseIds) world.hear({ type: 'EnrollmentGranted', courseId });
}
