import { byTitle, type CourseSalesFigures } from './course-sales-figures.ts';
import type { ApplyOutcome, SaleChange } from './sale-change.ts';
import { DEFAULT_PROCESSED_IDS_KEPT, type SalesReadModel } from './sales-read-model.ts';

interface CourseEntry {
  title: string;
  instructorId: string;
  paidOrders: number;
  refundedOrders: number;
  revenue: Map<string, number>;
}

/**
 * Embedded mode's sales read model, in the process's memory. JavaScript runs one apply to the end
 * before the next starts, so the check for a seen event id and the counting are atomic here without
 * a lock. It starts empty with the process, as the in-process broker keeps no history to replay.
 */
export class MemorySalesReadModel implements SalesReadModel {
  readonly #courses = new Map<string, CourseEntry>();
  /** A Set iterates in insertion order: its first id is the oldest, dropped when over the bound. */
  readonly #processed = new Set<string>();
  readonly #processedIdsKept: number;

  constructor(options: { processedIdsKept?: number } = {}) {
    this.#processedIdsKept = options.processedIdsKept ?? DEFAULT_PROCESSED_IDS_KEPT;
  }

  async apply(change: SaleChange): Promise<ApplyOutcome> {
    if (this.#processed.has(change.eventId)) return 'duplicate';
    const sign = change.kind === 'paid' ? 1 : -1;
    for (const line of change.lines) {
      const entry = this.#courses.get(line.courseId) ?? {
        title: line.title,
        instructorId: line.instructorId,
        paidOrders: 0,
        refundedOrders: 0,
        revenue: new Map<string, number>(),
      };
      entry.title = line.title;
      entry.instructorId = line.instructorId;
      if (change.kind === 'paid') entry.paidOrders += 1;
      else entry.refundedOrders += 1;
      const currency = line.price.currency;
      entry.revenue.set(currency, (entry.revenue.get(currency) ?? 0) + sign * line.price.amount);
      this.#courses.set(line.courseId, entry);
    }
    this.#processed.add(change.eventId);
    if (this.#processed.size > this.#processedIdsKept) {
      const [oldest] = this.#processed;
      this.#processed.delete(oldest!);
    }
    return 'applied';
  }

  async salesOf(instructorId: string): Promise<CourseSalesFigures[]> {
    return (await this.allSales()).filter((course) => course.instructorId === instructorId);
  }

  async allSales(): Promise<CourseSalesFigures[]> {
    return [...this.#courses].map(([courseId, entry]) => figuresOf(courseId, entry)).sort(byTitle);
  }

  async countCourses(): Promise<number> {
    return this.#courses.size;
  }

  async clear(): Promise<void> {
    this.#courses.clear();
    this.#processed.clear();
  }
}

function figuresOf(courseId: string, entry: CourseEntry): CourseSalesFigures {
  return {
    courseId,
    title: entry.title,
    instructorId: entry.instructorId,
    paidOrders: entry.paidOrders,
    refundedOrders: entry.refundedOrders,
    revenue: [...entry.revenue]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, amount]) => ({ amount, currency })),
  };
}
