import type { CourseSalesFigures } from './course-sales-figures.ts';
import type { ApplyOutcome, SaleChange } from './sale-change.ts';

/**
 * The instructors' sales read model: per course, orders paid and refunded and revenue per currency,
 * fed by ordering's OrderPaid and OrderRefunded and rebuilt by replaying ordering's topic. Redis in
 * distributed mode (shared by every studio-api instance), memory embedded; one behaviour suite
 * holds both to the same answers.
 */
export interface SalesReadModel {
  /**
   * Counts a change once per event id, atomically with the figures: a redelivered event answers
   * 'duplicate' and changes nothing. Ids are remembered for the most recent `processedIdsKept`
   * changes (bounded retention), far more than a redelivery can reach back.
   */
  apply(change: SaleChange): Promise<ApplyOutcome>;
  /** One instructor's courses, by title. */
  salesOf(instructorId: string): Promise<CourseSalesFigures[]>;
  /** Every course with a sale, by title: what an operator checks after a rebuild. */
  allSales(): Promise<CourseSalesFigures[]>;
  /** How many courses have figures. */
  countCourses(): Promise<number>;
  /** Forgets every figure and every remembered event id: the first step of a rebuild. */
  clear(): Promise<void>;
}

/** Event ids remembered for deduplication unless configured otherwise. */
export const DEFAULT_PROCESSED_IDS_KEPT = 100_000;
