import type { EnrollmentView } from './contract.ts';
import type { Enrollment } from './domain/enrollment.ts';

/** What the contract shows of an enrollment, field by field, so a new internal field never leaks by accident. */
export function toEnrollmentView(enrollment: Enrollment): EnrollmentView {
  const source = enrollment.source;
  return {
    id: enrollment.id,
    learnerId: enrollment.learnerId,
    courseId: enrollment.courseId,
    status: enrollment.status,
    source: source.kind === 'order' ? { kind: 'order', orderId: source.orderId } : { kind: 'free' },
    grantedAt: enrollment.grantedAt?.toISOString() ?? null,
    revokedAt: enrollment.revokedAt?.toISOString() ?? null,
    completedLessonIds: [...enrollment.completedLessonIds],
    completedAt: enrollment.completedAt?.toISOString() ?? null,
    version: enrollment.version,
  };
}
