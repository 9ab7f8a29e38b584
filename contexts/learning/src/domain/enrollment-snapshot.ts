import type { CompletedLesson } from './completed-lesson.ts';
import type { EnrollmentSource } from './enrollment-events.ts';
import type { EnrollmentId } from './enrollment-id.ts';
import type { EnrollmentStatus } from './enrollment-status.ts';

/**
 * Everything an enrollment is, as one immutable value: what a store writes
 * (`Enrollment.toSnapshot()`) and hands back to `Enrollment.restore()`.
 */
export interface EnrollmentSnapshot {
  readonly id: EnrollmentId;
  /** The version as persisted (see AggregateRoot). */
  readonly version: number;
  readonly learnerId: string;
  readonly courseId: string;
  readonly status: EnrollmentStatus;
  /** What gave (or, withheld, would have given) the learner the course most recently. */
  readonly source: EnrollmentSource;
  /** When the course was last granted; null while it never was (withheld). */
  readonly grantedAt: Date | null;
  /** When access last ended; null while active or withheld. */
  readonly revokedAt: Date | null;
  /** In the order they were done; a lesson later removed from the outline stays here. */
  readonly completedLessons: readonly CompletedLesson[];
  /** Set once, when every lesson of the outline was first done; never cleared. */
  readonly completedAt: Date | null;
  /** Orders whose refund learning has seen: none of them grants the course again, whenever its payment arrives. */
  readonly refundedOrderIds: readonly string[];
  /**
   * Paid orders for the course not refunded: besides the source, a second order paid in a race.
   * When the source's order is refunded, the next of these keeps the course the learner's.
   */
  readonly paidOrderIds: readonly string[];
}
