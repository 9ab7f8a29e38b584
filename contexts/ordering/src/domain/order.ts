import {
  AggregateRoot,
  checkRule,
  newId,
  toId,
  type Actor,
  type Clock,
  type Money,
} from '@strata/shared-kernel';
import type {
  CancellationFacts,
  PaymentFacts,
  PaymentReport,
  RefundFacts,
  RefundReport,
} from './order-facts.ts';
import type { OrderEventPayloads, OrderEventType, OrderSummary } from './order-events.ts';
import type { OrderId } from './order-id.ts';
import { totalOf, type OrderLine } from './order-line.ts';
import { linesFor, newOrder, type PlacementContext, type RequestedCourse } from './order-placement.ts';
import {
  onlyAPaidOrderCanBeRefunded,
  onlyItsLearnerMayCancelOrRefundAnOrder,
  onlyTheCheckoutMayReportPaymentsAndRefunds,
  orderCannotBePaidOnceClosed,
  orderCannotBePaidTwice,
  orderCannotBeRefundedAfterItsWindow,
  orderCannotBeRefundedOnceACertificateIsIssued,
  orderCannotBeRefundedTwice,
  orderCannotExpireBeforeItsPaymentDeadline,
  paidOrderCannotBeCancelled,
  paymentMustMatchTheOrderTotal,
  refundMustBeRequestedBeforeItIsConfirmed,
} from './order-rules.ts';
import type { OrderSnapshot } from './order-snapshot.ts';
import type { CancellationReason, OrderStatus, RefundReason } from './order-status.ts';
import { DEFAULT_ORDER_TERMS, type OrderTerms } from './order-terms.ts';
import { onlyLearnersMayPlaceOrders } from './placement-rules.ts';

/** What placing an order answers: a new order, or the one already awaiting payment for these courses. */
export type Placement =
  | { readonly outcome: 'placed'; readonly order: Order }
  | { readonly outcome: 'already-pending'; readonly orderId: OrderId };

/**
 * A learner's order for one or more courses at the prices offered when it was placed. It awaits
 * payment until its payment deadline, and is then paid, cancelled or expired; a paid order may be
 * refunded. The learner acts on it (cancel, ask for a refund); the checkout reports what the
 * payment provider and the clock said (paid, payment failed, expired, refunded).
 *
 * A change that is no change records nothing (a payment reported twice, a second expiry), so
 * every report may be repeated; a report that contradicts what happened is refused with a code.
 * State is private (`#`, ADR 0008); a store keeps it through `toSnapshot()` / `Order.restore()`.
 */
export class Order extends AggregateRoot<OrderId> {
  declare readonly id: OrderId;
  readonly #fields: { -readonly [K in Exclude<keyof OrderSnapshot, 'id' | 'version'>]: OrderSnapshot[K] };

  private constructor(snapshot: OrderSnapshot) {
    super(snapshot.version);
    const { id, version: _version, ...fields } = snapshot;
    this.id = id;
    this.#fields = fields;
  }

  /** An order as a store kept it: no rule runs and no event is recorded, it already happened. */
  static restore(snapshot: OrderSnapshot): Order {
    return new Order(snapshot);
  }

  toSnapshot(): OrderSnapshot {
    return { ...this.#fields, id: this.id, version: this.version };
  }

  get aggregateType(): 'Order' {
    return 'Order';
  }

  get learnerId(): string {
    return this.#fields.learnerId;
  }

  get lines(): readonly OrderLine[] {
    return this.#fields.lines;
  }

  get courseIds(): readonly string[] {
    return this.#fields.lines.map((line) => line.courseId);
  }

  get total(): Money {
    return totalOf(this.#fields.lines);
  }

  get status(): OrderStatus {
    return this.#fields.status;
  }

  get placedAt(): Date {
    return new Date(this.#fields.placedAt);
  }

  get paymentDeadline(): Date {
    return new Date(this.#fields.paymentDeadline);
  }

  get payment(): PaymentFacts | null {
    return this.#fields.payment;
  }

  /** Until when a paid order may be refunded at the learner's request; null until it is paid. */
  get refundDeadline(): Date | null {
    const payment = this.#fields.payment;
    return payment && new Date(payment.paidAt.getTime() + this.#fields.refundWindowMs);
  }

  get cancellation(): CancellationFacts | null {
    return this.#fields.cancellation;
  }

  get expiredAt(): Date | null {
    return this.#fields.expiredAt && new Date(this.#fields.expiredAt);
  }

  get refund(): RefundFacts | null {
    return this.#fields.refund;
  }

  /**
   * A learner orders courses at the prices they were shown. Asking again for exactly the courses
   * of an order still awaiting payment answers that order instead of making a second one.
   */
  static place(
    request: { readonly courses: readonly RequestedCourse[] },
    context: PlacementContext & { readonly terms?: OrderTerms },
    actor: Actor,
    clock: Clock,
    id: OrderId = newId<'Order'>(),
  ): Placement {
    checkRule(onlyLearnersMayPlaceOrders(actor));
    const decided = linesFor(request.courses, context);
    if (decided.kind === 'already-pending') {
      return { outcome: 'already-pending', orderId: toId<'Order'>(decided.orderId) };
    }
    const placedAt = clock.now();
    const order = new Order(
      newOrder(id, actor.userId, decided.lines, context.terms ?? DEFAULT_ORDER_TERMS, placedAt),
    );
    order.#emit(
      'OrderPlaced',
      { ...order.#summary(), paymentDeadline: order.#fields.paymentDeadline.toISOString() },
      placedAt,
    );
    return { outcome: 'placed', order };
  }

  /** The learner gives up on an order they have not paid. Cancelling a closed order changes nothing. */
  cancel(actor: Actor, clock: Clock): void {
    checkRule(onlyItsLearnerMayCancelOrRefundAnOrder(actor, this.#fields.learnerId, this.id));
    this.#close('learner-cancelled', actor, clock);
  }

  /** The checkout reports that the payment was declined or could not be started: the order is cancelled. */
  recordPaymentFailure(
    reason: Exclude<CancellationReason, 'learner-cancelled'>,
    actor: Actor,
    clock: Clock,
  ): void {
    checkRule(onlyTheCheckoutMayReportPaymentsAndRefunds(actor));
    this.#close(reason, actor, clock);
  }

  /**
   * The payment window is over. Once the order is no longer awaiting payment this changes nothing:
   * the expiry is a timer, and a timer that finds the order paid or cancelled has nothing to do.
   */
  expire(actor: Actor, clock: Clock): void {
    checkRule(onlyTheCheckoutMayReportPaymentsAndRefunds(actor));
    if (this.#fields.status !== 'pending-payment') return;
    const now = clock.now();
    checkRule(orderCannotExpireBeforeItsPaymentDeadline(now, this.#fields.paymentDeadline, this.id));
    this.#fields.status = 'expired';
    this.#fields.expiredAt = now;
    this.#emit(
      'OrderExpired',
      {
        orderId: this.id,
        learnerId: this.#fields.learnerId,
        paymentDeadline: this.#fields.paymentDeadline.toISOString(),
      },
      now,
    );
  }

  /**
   * The checkout reports the payment that settles the order. The same payment reported again
   * changes nothing; another payment, or one for a cancelled or expired order, is refused (and
   * the checkout refunds it).
   */
  confirmPayment(report: PaymentReport, actor: Actor, clock: Clock): void {
    checkRule(onlyTheCheckoutMayReportPaymentsAndRefunds(actor));
    checkRule(orderCannotBePaidOnceClosed(this.#fields.status, this.id));
    const settledBy = this.#fields.payment?.paymentId ?? null;
    checkRule(orderCannotBePaidTwice(settledBy, report.paymentId, this.id));
    if (settledBy !== null) return;
    checkRule(paymentMustMatchTheOrderTotal(report.amount, this.total, this.id));
    this.#fields.status = 'paid';
    this.#fields.payment = { paymentId: report.paymentId, paidAt: new Date(report.paidAt) };
    this.#emit(
      'OrderPaid',
      {
        ...this.#summary(),
        paymentId: report.paymentId,
        paidAt: report.paidAt.toISOString(),
        refundDeadline: (this.refundDeadline as Date).toISOString(),
      },
      clock.now(),
    );
  }

  /**
   * A refund is asked for: by the learner, within the refund window and before any certificate for
   * a course of the order (`certifiedCourseIds`, from the learner's standing); or by the checkout
   * when the courses could not be handed over, whatever the window. Asking again changes nothing.
   */
  requestRefund(
    request: { readonly reason: RefundReason; readonly certifiedCourseIds: readonly string[] },
    actor: Actor,
    clock: Clock,
  ): void {
    if (request.reason === 'learner-request') {
      checkRule(onlyItsLearnerMayCancelOrRefundAnOrder(actor, this.#fields.learnerId, this.id));
    } else {
      checkRule(onlyTheCheckoutMayReportPaymentsAndRefunds(actor));
    }
    if (this.#fields.refund !== null) return;
    checkRule(onlyAPaidOrderCanBeRefunded(this.#fields.status, this.id));
    const now = clock.now();
    if (request.reason === 'learner-request') {
      checkRule(orderCannotBeRefundedAfterItsWindow(now, this.refundDeadline as Date, this.id));
      checkRule(
        orderCannotBeRefundedOnceACertificateIsIssued(this.courseIds, request.certifiedCourseIds, this.id),
      );
    }
    const payment = this.#fields.payment as PaymentFacts;
    this.#fields.status = 'refund-requested';
    this.#fields.refund = {
      reason: request.reason,
      requestedBy: actor.userId,
      requestedAt: now,
      refundId: null,
      refundedAt: null,
    };
    this.#emit(
      'RefundRequested',
      {
        orderId: this.id,
        learnerId: this.#fields.learnerId,
        paymentId: payment.paymentId,
        total: this.total.toJSON(),
        reason: request.reason,
        requestedBy: actor.userId,
      },
      now,
    );
  }

  /** The checkout reports the provider's refund. The same refund reported again changes nothing. */
  confirmRefund(report: RefundReport, actor: Actor, clock: Clock): void {
    checkRule(onlyTheCheckoutMayReportPaymentsAndRefunds(actor));
    checkRule(refundMustBeRequestedBeforeItIsConfirmed(this.#fields.status, this.id));
    const refund = this.#fields.refund as RefundFacts;
    checkRule(orderCannotBeRefundedTwice(refund.refundId, report.refundId, this.id));
    if (refund.refundId !== null) return;
    this.#fields.status = 'refunded';
    this.#fields.refund = { ...refund, refundId: report.refundId, refundedAt: new Date(report.refundedAt) };
    this.#emit(
      'OrderRefunded',
      {
        ...this.#summary(),
        paymentId: (this.#fields.payment as PaymentFacts).paymentId,
        refundId: report.refundId,
        reason: refund.reason,
        refundedAt: report.refundedAt.toISOString(),
      },
      clock.now(),
    );
  }

  /** Cancels an order awaiting payment; a closed one stays as it is, a paid one is refused. */
  #close(reason: CancellationReason, actor: Actor, clock: Clock): void {
    checkRule(paidOrderCannotBeCancelled(this.#fields.status, this.id));
    if (this.#fields.status !== 'pending-payment') return;
    const now = clock.now();
    this.#fields.status = 'cancelled';
    this.#fields.cancellation = { reason, cancelledBy: actor.userId, cancelledAt: now };
    this.#emit(
      'OrderCancelled',
      { orderId: this.id, learnerId: this.#fields.learnerId, reason, cancelledBy: actor.userId },
      now,
    );
  }

  /** What every event about the whole order carries. */
  #summary(): OrderSummary {
    return {
      orderId: this.id,
      learnerId: this.#fields.learnerId,
      lines: this.#fields.lines.map((line) => ({
        courseId: line.courseId,
        instructorId: line.instructorId,
        title: line.title,
        price: line.price.toJSON(),
      })),
      total: this.total.toJSON(),
    };
  }

  #emit<TType extends OrderEventType>(
    type: TType,
    payload: OrderEventPayloads[TType],
    occurredAt: Date,
  ): void {
    this.record(type, payload, occurredAt);
  }
}
