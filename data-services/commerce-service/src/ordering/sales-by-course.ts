import type { CourseSales } from '@strata/ordering/contract';
import type { OrderLineData } from '@strata/ordering';

/** A sales page's key: the course id, then the currency (a course repriced in another currency sells in both). */
export const SALES_KEY = /^[0-9a-f-]{36}:[A-Z]{3}$/;

/**
 * One instructor's sales per course and currency, from the orders that were paid: every such order
 * counts as paid, a refunded one also as refunded, and only the ones not refunded add to revenue
 * (a refund being requested is still earned until the provider refunds it). Orders come oldest
 * first, so a course renamed since shows its latest title. Sorted by key.
 */
export function salesByCourse(
  instructorId: string,
  orders: readonly { readonly refunded: boolean; readonly lines: readonly OrderLineData[] }[],
): { key: string; sales: CourseSales }[] {
  const byKey = new Map<string, CourseSales>();
  for (const order of orders) {
    for (const line of order.lines) {
      if (line.instructorId !== instructorId) continue;
      const key = `${line.courseId}:${line.price.currency}`;
      const sales = byKey.get(key) ?? {
        courseId: line.courseId,
        title: line.title,
        paidOrders: 0,
        refundedOrders: 0,
        revenue: { amount: 0, currency: line.price.currency },
      };
      byKey.set(key, {
        ...sales,
        title: line.title,
        paidOrders: sales.paidOrders + 1,
        refundedOrders: sales.refundedOrders + (order.refunded ? 1 : 0),
        revenue: {
          amount: sales.revenue.amount + (order.refunded ? 0 : line.price.amount),
          currency: sales.revenue.currency,
        },
      });
    }
  }
  return [...byKey.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, sales]) => ({ key, sales }));
}
