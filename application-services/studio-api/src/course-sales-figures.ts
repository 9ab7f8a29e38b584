import { Price } from '@strata/ordering/contract';
import { z } from '@strata/shared-kernel';

/**
 * One course's sales as the studio shows them to its instructor: orders paid for it ever, orders
 * refunded, and what stays earned, per currency (a course sold in euros and in dollars has two
 * revenues; they are never added together). Revenue is in minor units: paid minus refunded.
 */
export const CourseSalesFigures = z.object({
  courseId: z.uuid(),
  /** The course's title as the latest sale of it named it (orders snapshot the title they sold). */
  title: z.string().min(1).max(120),
  instructorId: z.uuid(),
  paidOrders: z.number().int().min(0),
  refundedOrders: z.number().int().min(0),
  /** Ordered by currency code. An amount may be 0 once every sale in that currency was refunded. */
  revenue: z.array(Price.extend({ amount: z.number().int() })),
});

export type CourseSalesFigures = z.output<typeof CourseSalesFigures>;

/** Courses in the one order every adapter answers: by title, then by id. */
export function byTitle(a: CourseSalesFigures, b: CourseSalesFigures): number {
  return a.title.localeCompare(b.title) || a.courseId.localeCompare(b.courseId);
}
