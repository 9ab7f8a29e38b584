import { checkRule, type Actor } from '@strata/shared-kernel';
import type { Enrollment } from './enrollment.ts';
import { lessonsAreOpenOnlyWhileEnrolled } from './enrollment-rules.ts';

/**
 * Whether `actor` may open the lessons of `courseId`, given their enrollment in it (null when they
 * have none). Refused with `lessons-are-open-only-while-enrolled` and the reason: never enrolled,
 * or access ended by a refund.
 */
export function checkLessonsAreOpen(enrollment: Enrollment | null, courseId: string, actor: Actor): void {
  if (enrollment === null) {
    checkRule(lessonsAreOpenOnlyWhileEnrolled(null, courseId));
    return;
  }
  enrollment.checkLessonsAreOpenTo(actor);
}
