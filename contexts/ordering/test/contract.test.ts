import { describe, expect, it } from '@jest/globals';
import {
  checkGlossary,
  contractElements,
  contractMethods,
  FixedClock,
  type DomainEvent,
  type EventPayload,
} from '@strata/shared-kernel';
import { expectTypeOf } from 'expect-type';
import { NO_STANDING, Order, toOrderView, type OrderPaid, type OrderPlaced } from '@strata/ordering';
import { orderingContract, OrderView, PlacementView } from '@strata/ordering/contract';
import { orderingGlossary } from '../src/glossary.ts';
import {
  aPaidOrder,
  aPendingOrder,
  aRefundRequestedOrder,
  aLearner,
  anOffer,
  ownerOf,
  PAID_AT,
  requestFor,
  theCheckout,
} from './order.mother.ts';

const orderEvents = orderingContract.aggregates.Order.events;
const SOME_ID = '0190d5a2-7b3c-7def-8123-456789abcdef';
const later = new FixedClock('2026-05-04T11:00:00.000Z');

/** Drives orders through every transition, keeping every event the domain records. */
function everyOrderEvent(): DomainEvent[] {
  const offer = anOffer();
  const placement = Order.place(
    requestFor(offer),
    { offers: [offer], standing: NO_STANDING },
    aLearner(),
    later,
  );
  const placed = placement.outcome === 'placed' ? [...placement.order.pendingEvents] : [];
  const cancelled = aPendingOrder();
  cancelled.cancel(ownerOf(cancelled), later);
  const expired = aPendingOrder();
  expired.expire(theCheckout, later);
  const refunded = aRefundRequestedOrder();
  refunded.confirmRefund({ refundId: 're_1', refundedAt: new Date(PAID_AT) }, theCheckout, later);
  const paid = aPendingOrder();
  paid.confirmPayment(
    { paymentId: 'pay_1', amount: paid.total, paidAt: new Date(PAID_AT) },
    theCheckout,
    later,
  );
  paid.requestRefund({ reason: 'enrollment-impossible', certifiedCourseIds: [] }, theCheckout, later);
  return [cancelled, expired, refunded, paid].flatMap((order) => [...order.pendingEvents]).concat(placed);
}

function payloadOf(method: string, input: unknown, id?: string) {
  const found = contractMethods(orderingContract).get(method);
  if (!found) throw new Error(`the contract has no method ${method}`);
  return found.payload.safeParse(id === undefined ? { input } : { id, input });
}

describe('the ordering contract', () => {
  it('declares every event the domain records, and the domain records every event it declares', () => {
    const types = new Set(everyOrderEvent().map((recorded) => recorded.type));
    expect(types).toEqual(new Set(Object.keys(orderEvents)));
  });

  it('accepts every recorded payload exactly as recorded', () => {
    for (const recorded of everyOrderEvent()) {
      const schema = orderEvents[recorded.type as keyof typeof orderEvents].payload;
      expect({ type: recorded.type, payload: schema.parse(recorded.payload) }).toEqual({
        type: recorded.type,
        payload: recorded.payload,
      });
    }
  });

  it('types each event payload once: the domain’s type is the contract’s', () => {
    expectTypeOf<EventPayload<typeof orderingContract, 'OrderPlaced'>>().toEqualTypeOf<OrderPlaced>();
    expectTypeOf<EventPayload<typeof orderingContract, 'OrderPaid'>>().toEqualTypeOf<OrderPaid>();
  });

  it('shows an order as its view, at every stage', () => {
    const paid = aPaidOrder();
    const view = toOrderView(paid);
    expect(OrderView.parse(view)).toEqual(view);
    expect(view).toMatchObject({
      status: 'paid',
      total: { amount: 4900, currency: 'EUR' },
      payment: { paymentId: 'pay_1Nq8c2', paidAt: PAID_AT },
      refundDeadline: '2026-05-18T10:12:00.000Z',
      cancellation: null,
      refund: null,
    });
    for (const order of [aPendingOrder(), aRefundRequestedOrder()]) {
      expect(OrderView.parse(toOrderView(order))).toEqual(toOrderView(order));
    }
    expect(PlacementView.parse({ outcome: 'already-pending', order: view }).outcome).toBe('already-pending');
  });

  it.each([
    ['no course', 'Order.place', { courses: [] }, ['input', 'courses']],
    [
      'a price in fractions',
      'Order.place',
      { courses: [{ courseId: SOME_ID, expectedPrice: { amount: 49.9, currency: 'EUR' } }] },
      ['input', 'courses', 0, 'expectedPrice', 'amount'],
    ],
    [
      'a negative price',
      'Order.place',
      { courses: [{ courseId: SOME_ID, expectedPrice: { amount: -1, currency: 'EUR' } }] },
      ['input', 'courses', 0, 'expectedPrice', 'amount'],
    ],
    [
      'a course id that is not one',
      'Order.place',
      { courses: [{ courseId: 'ddd', expectedPrice: { amount: 1, currency: 'EUR' } }] },
      ['input', 'courses', 0, 'courseId'],
    ],
    [
      'a payment without a time',
      'Order.confirmPayment',
      { paymentId: 'pay_1', amount: { amount: 1, currency: 'EUR' } },
      ['input', 'paidAt'],
    ],
    ['an unknown failure reason', 'Order.recordPaymentFailure', { reason: 'tired' }, ['input', 'reason']],
    ['a learner id that is not one', 'Order.findByLearner', { learnerId: 'me' }, ['input', 'learnerId']],
  ])('refuses %s at the boundary, naming the field', (_label, method, input, path) => {
    const addressed = ['Order.place', 'Order.findByLearner'].includes(method) ? undefined : SOME_ID;
    const result = payloadOf(method, input, addressed);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([path]);
  });

  it('takes no learner in any input: the learner is whoever places the order', () => {
    const input = {
      courses: [{ courseId: SOME_ID, expectedPrice: { amount: 1, currency: 'EUR' } }],
      learnerId: SOME_ID,
    };
    expect(payloadOf('Order.place', input).data).toEqual({ input: { courses: input.courses } });
  });

  it('reads a refund request without a reason as the learner’s', () => {
    expect(payloadOf('Order.requestRefund', {}, SOME_ID).data).toEqual({
      id: SOME_ID,
      input: { reason: 'learner-request' },
    });
  });

  it('marks every command retry-safe: each repeats as a no-change', () => {
    const commands = [...contractMethods(orderingContract).values()].filter(
      (method) => method.kind === 'command',
    );
    expect(commands.filter((method) => !method.retrySafe)).toEqual([]);
  });

  it('is called the way the catalog, its neighbour in commerce-service, is (ADR 0009)', () => {
    expect(orderingContract.callPolicy).toMatchObject({
      balancing: 'consistent-hash',
      rateLimit: { ratePerSecond: 1_000, burst: 200 },
    });
  });
});

describe('the ordering glossary', () => {
  it('names only elements of the contract and covers every aggregate, method and event', () => {
    expect(checkGlossary(orderingContract, orderingGlossary)).toEqual([]);
  });

  it('defines every field too, so a domain expert can read every input and payload', () => {
    const referenced = new Set(orderingGlossary.terms.flatMap((term) => term.refs));
    const undefinedRefs = contractElements(orderingContract)
      .map((element) => element.ref)
      .filter((ref) => !referenced.has(ref));
    expect(undefinedRefs).toEqual([]);
  });
});
