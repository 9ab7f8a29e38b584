/**
 * Where an enrollment stands. Active: the learner has the course. Revoked: the order that gave it
 * was refunded; access ended, progress is kept. Withheld: learning heard of an order's refund
 * before its payment, so that order never gives access (the learner never had the course). A
 * revoked or withheld enrollment becomes active again when the learner gets the course once more.
 */
export const ENROLLMENT_STATUSES = ['active', 'revoked', 'withheld'] as const;

export type EnrollmentStatus = (typeof ENROLLMENT_STATUSES)[number];

/** The role a person needs to enroll and learn. */
export const LEARNER_ROLE = 'learner';
