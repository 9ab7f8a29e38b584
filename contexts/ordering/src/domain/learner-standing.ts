/**
 * What a learner already has, as far as buying more is concerned. Ordering reads it from its own
 * orders (owned and pending) and from its record of learning's certificates.
 */
export interface LearnerStanding {
  /** Courses of the learner's paid orders that were not refunded (a refund being requested still counts). */
  readonly ownedCourseIds: readonly string[];
  /** The learner's orders still pending payment, with their courses. */
  readonly pendingOrders: readonly PendingOrder[];
  /** Courses for which the learner has been issued a certificate. */
  readonly certifiedCourseIds: readonly string[];
}

export interface PendingOrder {
  readonly orderId: string;
  readonly courseIds: readonly string[];
}

export const NO_STANDING: LearnerStanding = { ownedCourseIds: [], pendingOrders: [], certifiedCourseIds: [] };
