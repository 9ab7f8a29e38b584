import type { SqlEntityManager } from '@mikro-orm/sql';
import type { CheckoutView, CourseSales, OrderView } from '@strata/ordering/contract';
import {
  CHECKOUT_OUTCOMES,
  toCheckoutView,
  toOrderView,
  type InstructorSalesQuery,
  type LearnerOrdersQuery,
  type LearnerStanding,
  type Offer,
  type OrderingQueries,
  type OrderLineData,
  type UnfinishedCheckoutsQuery,
} from '@strata/ordering';
import type { Clock, Page } from '@strata/shared-kernel';
import { decodeCursor, encodeCursor } from '@strata/persistence';
import { checkoutRecordSchema, toCheckout } from './checkout-record.ts';
import { certificateRecordSchema, offerRecordSchema, toOffer } from './offer-record.ts';
import { orderRecordSchema, toOrder } from './order-record.ts';
import { salesByCourse, SALES_KEY } from './sales-by-course.ts';

/*
 * Paid orders of one instructor's courses, oldest first (ids are time-ordered). The lines are a JSON column (see order-record.ts), so the
 * filter is the database's own JSON test, with the instructor id bound, never spliced in.
 */
const ORDERS_OF_INSTRUCTOR = {
  mysql: `select status, order_lines from orders
    where status in ('paid', 'refund-requested', 'refunded')
      and json_contains(order_lines, json_object('instructorId', ?))
    order by id`,
  sqlite: `select status, order_lines from orders
    where status in ('paid', 'refund-requested', 'refunded')
      and exists (select 1 from json_each(orders.order_lines) as line
                  where json_extract(line.value, '$.instructorId') = ?)
    order by id`,
};

/**
 * Ordering's queries on MikroORM, through the running unit of work's session (inside a call, the
 * call's transaction). Filters are bound parameters; pages are keyset pages.
 */
export class SqlOrderingQueries implements OrderingQueries {
  readonly #session: () => SqlEntityManager;
  readonly #dialect: 'mysql' | 'sqlite';
  readonly #clock: Clock;

  constructor(session: () => SqlEntityManager, dialect: 'mysql' | 'sqlite', clock: Clock) {
    this.#session = session;
    this.#dialect = dialect;
    this.#clock = clock;
  }

  /** Newest first: order ids are time-ordered (UUIDv7), so (learner_id, id) descending is the page order. */
  async ordersOfLearner(query: LearnerOrdersQuery): Promise<Page<OrderView>> {
    const before = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const records = await this.#session().find(
      orderRecordSchema,
      before === undefined
        ? { learnerId: query.learnerId }
        : { learnerId: query.learnerId, id: { $lt: before } },
      { orderBy: { id: 'desc' }, limit: query.limit + 1 },
    );
    const items = records.slice(0, query.limit);
    const last = items.at(-1);
    return {
      items: items.map((record) => toOrderView(toOrder(record))),
      nextCursor: records.length > query.limit && last !== undefined ? encodeCursor(last.id) : null,
    };
  }

  async standingOf(learnerId: string, courseIds: readonly string[]): Promise<LearnerStanding> {
    const session = this.#session();
    // Refunded orders are no longer the learner's; cancelled and expired ones never were.
    const orders = await session.find(orderRecordSchema, {
      learnerId,
      status: { $in: ['pending-payment', 'paid', 'refund-requested'] },
    });
    const certificates = await session.find(certificateRecordSchema, {
      learnerId,
      courseId: { $in: [...courseIds] },
    });
    const asked = (courseId: string) => courseIds.includes(courseId);
    const coursesOf = (lines: readonly OrderLineData[]) => lines.map((line) => line.courseId);
    return {
      ownedCourseIds: orders
        .filter((order) => order.status !== 'pending-payment')
        .flatMap((order) => coursesOf(order.lines).filter(asked)),
      pendingOrders: orders
        .filter((order) => order.status === 'pending-payment' && coursesOf(order.lines).some(asked))
        .map((order) => ({ orderId: order.id, courseIds: coursesOf(order.lines) })),
      certifiedCourseIds: certificates.map((certificate) => certificate.courseId),
    };
  }

  async orderPaidBy(paymentId: string): Promise<OrderView | null> {
    const record = await this.#session().findOne(orderRecordSchema, { paymentId });
    return record === null ? null : toOrderView(toOrder(record));
  }

  async offersOf(courseIds: readonly string[]): Promise<Offer[]> {
    if (courseIds.length === 0) return [];
    const records = await this.#session().find(offerRecordSchema, { courseId: { $in: [...courseIds] } });
    return records.map(toOffer).filter((offer): offer is Offer => offer !== null);
  }

  /** Paged by course (and currency, should a course have been sold in two): a rebuild source, not a hot path. */
  async salesOfInstructor(query: InstructorSalesQuery): Promise<Page<CourseSales>> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, SALES_KEY);
    const rows = await this.#session().execute<{ status: string; order_lines: unknown }[]>(
      ORDERS_OF_INSTRUCTOR[this.#dialect],
      [query.instructorId],
    );
    const sales = salesByCourse(
      query.instructorId,
      rows.map((row) => ({
        refunded: row.status === 'refunded',
        lines: (typeof row.order_lines === 'string'
          ? JSON.parse(row.order_lines)
          : row.order_lines) as OrderLineData[],
      })),
    ).filter((entry) => after === undefined || entry.key > after);
    const items = sales.slice(0, query.limit);
    const last = items.at(-1);
    return {
      items: items.map((entry) => entry.sales),
      nextCursor: sales.length > query.limit && last !== undefined ? encodeCursor(last.key) : null,
    };
  }

  /**
   * Not at an outcome, or at one with commands still to send; unchanged for at least
   * `stalledForSeconds`. The longest unchanged first, paged by (updated_at, order id).
   */
  async unfinishedCheckouts(query: UnfinishedCheckoutsQuery): Promise<Page<CheckoutView>> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, UNFINISHED_KEY);
    const stalledSince = new Date(this.#clock.now().getTime() - query.stalledForSeconds * 1_000);
    const [afterMs, afterId] = after === undefined ? [] : after.split('_');
    const resume =
      afterMs === undefined || afterId === undefined
        ? []
        : [
            {
              $or: [
                { updatedAt: { $gt: new Date(Number(afterMs)) } },
                { updatedAt: new Date(Number(afterMs)), id: { $gt: afterId } },
              ],
            },
          ];
    const records = await this.#session().find(
      checkoutRecordSchema,
      {
        $and: [
          { $or: [{ step: { $nin: [...CHECKOUT_OUTCOMES] } }, { pendingCommands: { $gt: 0 } }] },
          { updatedAt: { $lte: stalledSince } },
          ...resume,
        ],
      },
      { orderBy: [{ updatedAt: 'asc' }, { id: 'asc' }], limit: query.limit + 1 },
    );
    const items = records.slice(0, query.limit);
    const last = items.at(-1);
    return {
      items: items.map((record) => toCheckoutView(toCheckout(record))),
      nextCursor:
        records.length > query.limit && last !== undefined
          ? encodeCursor(`${last.updatedAt.getTime()}_${last.id}`)
          : null,
    };
  }
}

/** An unfinished checkout's page key: when it last changed (epoch ms) and its order id. */
const UNFINISHED_KEY = /^\d{1,15}_[0-9a-f-]{36}$/;
