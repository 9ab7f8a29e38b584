import {
  Order,
  type CancellationReason,
  type OrderId,
  type OrderLineData,
  type OrderStatus,
  type RefundReason,
} from '@strata/ordering';
import { aggregateMapping, recordSchema } from '@strata/persistence';
import { Money } from '@strata/shared-kernel';
import { createHash } from 'node:crypto';

/** An order as the `orders` table holds it: the row MikroORM loads and flushes. */
export interface OrderRecord {
  id: string;
  version: number;
  learnerId: string;
  status: OrderStatus;
  lines: OrderLineData[];
  totalAmount: number;
  totalCurrency: string;
  placedAt: Date;
  paymentDeadline: Date;
  refundWindowMs: number;
  paymentId: string | null;
  paidAt: Date | null;
  cancellationReason: CancellationReason | null;
  cancelledBy: string | null;
  cancelledAt: Date | null;
  expiredAt: Date | null;
  refundReason: RefundReason | null;
  refundRequestedBy: string | null;
  refundRequestedAt: Date | null;
  refundId: string | null;
  refundedAt: Date | null;
  /** While the order awaits payment: its learner and courses, hashed; null once it is closed or paid. */
  pendingClaim: string | null;
}

export const ORDERS_PENDING_CLAIM_INDEX = 'orders_pending_claim';

/*
 * The lines are one JSON column, not child rows: they are fixed when the order is placed (prices
 * as offered then), never change, and are always read and written with their order; a child table
 * would cost a join and a second write per order for nothing the aggregate needs. The one reader
 * across orders by line, the instructors' sales, filters with the database's JSON functions (and
 * is a rebuild source, not a hot path: studio's sales read model is fed by events).
 *
 * The total is kept beside the lines (it is always their sum) so a reader needs no JSON to see it.
 * The payment id is unique: one payment settles one order, and `orderPaidBy` finds it by that key.
 *
 * The pending claim is unique too: the placement reads the learner's standing outside the commit's
 * transaction, so two checkouts racing for the same courses would both see none pending; the
 * second meets this index at commit instead of making a second order (see pending-claim-conflict).
 */
export const orderRecordSchema = recordSchema<OrderRecord>({
  name: 'OrderRecord',
  tableName: 'orders',
  properties: {
    id: { type: 'string', primary: true, length: 36 },
    learnerId: { type: 'string', length: 36 },
    status: { type: 'string', length: 20 },
    lines: { type: 'json', fieldName: 'order_lines' },
    totalAmount: { type: 'integer' },
    totalCurrency: { type: 'string', length: 3 },
    placedAt: { type: 'datetime' },
    paymentDeadline: { type: 'datetime' },
    // Up to a year in milliseconds: past a 32-bit int, exact in a double.
    refundWindowMs: { type: 'double' },
    paymentId: { type: 'string', length: 100, nullable: true, unique: 'orders_payment_id' },
    paidAt: { type: 'datetime', nullable: true },
    cancellationReason: { type: 'string', length: 20, nullable: true },
    cancelledBy: { type: 'string', length: 36, nullable: true },
    cancelledAt: { type: 'datetime', nullable: true },
    expiredAt: { type: 'datetime', nullable: true },
    refundReason: { type: 'string', length: 24, nullable: true },
    refundRequestedBy: { type: 'string', length: 36, nullable: true },
    refundRequestedAt: { type: 'datetime', nullable: true },
    refundId: { type: 'string', length: 100, nullable: true },
    refundedAt: { type: 'datetime', nullable: true },
    pendingClaim: { type: 'string', length: 64, nullable: true, unique: ORDERS_PENDING_CLAIM_INDEX },
  },
  indexes: [
    { name: 'orders_learner_id', properties: ['learnerId', 'id'] },
    { name: 'orders_status_id', properties: ['status', 'id'] },
  ],
});

const money = (price: { amount: number; currency: string }): Money => Money.of(price.amount, price.currency);

export function toOrder(record: OrderRecord): Order {
  return Order.restore({
    id: record.id as OrderId,
    version: record.version,
    learnerId: record.learnerId,
    lines: record.lines.map((line) => ({ ...line, price: money(line.price) })),
    status: record.status,
    placedAt: record.placedAt,
    paymentDeadline: record.paymentDeadline,
    refundWindowMs: Number(record.refundWindowMs),
    payment:
      record.paymentId === null || record.paidAt === null
        ? null
        : { paymentId: record.paymentId, paidAt: record.paidAt },
    cancellation:
      record.cancellationReason === null || record.cancelledBy === null || record.cancelledAt === null
        ? null
        : {
            reason: record.cancellationReason,
            cancelledBy: record.cancelledBy,
            cancelledAt: record.cancelledAt,
          },
    expiredAt: record.expiredAt,
    refund:
      record.refundReason === null || record.refundRequestedBy === null || record.refundRequestedAt === null
        ? null
        : {
            reason: record.refundReason,
            requestedBy: record.refundRequestedBy,
            requestedAt: record.refundRequestedAt,
            refundId: record.refundId,
            refundedAt: record.refundedAt,
          },
  });
}

export function toOrderRecord(order: Order): OrderRecord {
  const snapshot = order.toSnapshot();
  const total = order.total;
  return {
    id: snapshot.id,
    version: snapshot.version,
    learnerId: snapshot.learnerId,
    status: snapshot.status,
    lines: snapshot.lines.map((line) => ({
      courseId: line.courseId,
      instructorId: line.instructorId,
      title: line.title,
      price: line.price.toJSON(),
    })),
    totalAmount: total.amount,
    totalCurrency: total.currency,
    placedAt: snapshot.placedAt,
    paymentDeadline: snapshot.paymentDeadline,
    refundWindowMs: snapshot.refundWindowMs,
    paymentId: snapshot.payment?.paymentId ?? null,
    paidAt: snapshot.payment?.paidAt ?? null,
    cancellationReason: snapshot.cancellation?.reason ?? null,
    cancelledBy: snapshot.cancellation?.cancelledBy ?? null,
    cancelledAt: snapshot.cancellation?.cancelledAt ?? null,
    expiredAt: snapshot.expiredAt,
    refundReason: snapshot.refund?.reason ?? null,
    refundRequestedBy: snapshot.refund?.requestedBy ?? null,
    refundRequestedAt: snapshot.refund?.requestedAt ?? null,
    refundId: snapshot.refund?.refundId ?? null,
    refundedAt: snapshot.refund?.refundedAt ?? null,
    pendingClaim: snapshot.status === 'pending-payment' ? pendingClaimOf(order) : null,
  };
}

/** One learner, one set of courses (in any order): a fixed-length key an index can hold for 20 courses. */
function pendingClaimOf(order: Order): string {
  const courses = [...order.courseIds].sort().join(',');
  return createHash('sha256').update(`${order.learnerId}:${courses}`).digest('hex');
}

/** What the unit of work needs to load and save orders. */
export const orderStorage = aggregateMapping({
  schema: orderRecordSchema,
  toAggregate: toOrder,
  toRecord: toOrderRecord,
});
