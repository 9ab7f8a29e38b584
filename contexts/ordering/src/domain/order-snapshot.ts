import type { CancellationFacts, PaymentFacts, RefundFacts } from './order-facts.ts';
import type { OrderId } from './order-id.ts';
import type { OrderLine } from './order-line.ts';
import type { OrderStatus } from './order-status.ts';

/**
 * Everything an order is, as one immutable value: what a store writes (`Order.toSnapshot()`) and
 * hands back to `Order.restore()`. The total is not kept: it is always its lines' sum.
 */
export interface OrderSnapshot {
  readonly id: OrderId;
  /** The version as persisted (see AggregateRoot). */
  readonly version: number;
  readonly learnerId: string;
  readonly lines: readonly OrderLine[];
  readonly status: OrderStatus;
  readonly placedAt: Date;
  /** Placed at plus the payment window of the terms it was placed under. */
  readonly paymentDeadline: Date;
  /** The refund window of the terms it was placed under; the refund deadline runs from the payment. */
  readonly refundWindowMs: number;
  readonly payment: PaymentFacts | null;
  readonly cancellation: CancellationFacts | null;
  readonly expiredAt: Date | null;
  readonly refund: RefundFacts | null;
}
