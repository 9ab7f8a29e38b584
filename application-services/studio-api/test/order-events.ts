import { contractEventCatalog, envelopeFor, type EventEnvelope } from '@strata/events';
import { orderingContract, type OrderView } from '@strata/ordering/contract';
import { newId } from '@strata/shared-kernel';
import type { SaleChange } from '../src/index.ts';

/*
 * Ordering's events as commerce-service publishes them: real envelopes, each payload checked
 * against the ordering contract by envelopeFor, so a test cannot feed the read model a shape the
 * contract would refuse. Object Mothers for a course line and for an order's paid/refunded events.
 */

type Line = OrderView['lines'][number];

const catalog = contractEventCatalog(orderingContract);

export function courseLine(overrides: Partial<Line> = {}): Line {
  return {
    courseId: newId(),
    instructorId: newId(),
    title: 'Event Sourcing in Practice',
    price: { amount: 4_900, currency: 'EUR' },
    ...overrides,
  };
}

export interface PaidOrder {
  orderId: string;
  learnerId: string;
  lines: Line[];
  paymentId: string;
}

export function paidOrder(lines: Line[]): PaidOrder {
  return { orderId: newId(), learnerId: newId(), lines, paymentId: `pay_${newId()}` };
}

function totalOf(lines: Line[]): Line['price'] {
  return {
    amount: lines.reduce((sum, line) => sum + line.price.amount, 0),
    currency: lines[0]!.price.currency,
  };
}

function envelope(type: string, order: PaidOrder, version: number, payload: unknown): EventEnvelope {
  return envelopeFor(
    {
      type,
      aggregateType: 'Order',
      aggregateId: order.orderId,
      aggregateVersion: version,
      occurredAt: new Date(),
      payload,
    },
    1,
    { correlationId: newId() },
    catalog.schema,
  );
}

export function orderPaid(order: PaidOrder): EventEnvelope {
  const paidAt = new Date();
  return envelope('OrderPaid', order, 2, {
    orderId: order.orderId,
    learnerId: order.learnerId,
    lines: order.lines,
    total: totalOf(order.lines),
    paymentId: order.paymentId,
    paidAt: paidAt.toISOString(),
    refundDeadline: new Date(paidAt.getTime() + 14 * 86_400_000).toISOString(),
  });
}

export function orderRefunded(order: PaidOrder): EventEnvelope {
  return envelope('OrderRefunded', order, 4, {
    orderId: order.orderId,
    learnerId: order.learnerId,
    lines: order.lines,
    total: totalOf(order.lines),
    paymentId: order.paymentId,
    refundId: `re_${newId()}`,
    reason: 'learner-request',
    refundedAt: new Date().toISOString(),
  });
}

/** An event ordering publishes that is not a sale: the read model must skip it. */
export function orderPlaced(order: PaidOrder): EventEnvelope {
  return envelope('OrderPlaced', order, 1, {
    orderId: order.orderId,
    learnerId: order.learnerId,
    lines: order.lines,
    total: totalOf(order.lines),
    paymentDeadline: new Date(Date.now() + 30 * 60_000).toISOString(),
  });
}

/** The read model's view of an event, as the projection hands it over. */
export function changeOf(envelope: EventEnvelope): SaleChange {
  return {
    eventId: envelope.id,
    kind: envelope.type === 'OrderPaid' ? 'paid' : 'refunded',
    lines: (envelope.payload as { lines: Line[] }).lines,
  };
}
