export type { Actor } from '@strata/shared-kernel';
export { Certificate } from './domain/certificate.ts';
export { certificateCodeOf, isWellFormedCertificateCode } from './domain/certificate-code.ts';
export type * from './domain/certificate-events.ts';
export { CERTIFICATE_EVENT_PAYLOADS } from './domain/certificate-events.ts';
export type { CertificateId } from './domain/certificate-id.ts';
export type { CertificateSnapshot } from './domain/certificate-snapshot.ts';
export type { CompletedLesson } from './domain/completed-lesson.ts';
export type { CourseOutline } from './domain/course-outline.ts';
export { Enrollment, type OrderFacts } from './domain/enrollment.ts';
export type * from './domain/enrollment-events.ts';
export { ENROLLMENT_EVENT_PAYLOADS, MAX_LESSONS_PER_OUTLINE } from './domain/enrollment-events.ts';
export type { EnrollmentId } from './domain/enrollment-id.ts';
export {
  completedLessonMustBeInTheOutline,
  lessonsAreOpenOnlyWhileEnrolled,
  onlyAFreeCourseCanBeEnrolledInDirectly,
  onlyItsLearnerMayFollowAnEnrollment,
  onlyLearnersMayEnroll,
  outlineMustBeOfTheEnrolledCourse,
  unpublishedCourseCannotBeEnrolledIn,
} from './domain/enrollment-rules.ts';
export type { EnrollmentSnapshot } from './domain/enrollment-snapshot.ts';
export { ENROLLMENT_STATUSES, LEARNER_ROLE, type EnrollmentStatus } from './domain/enrollment-status.ts';
export { checkLessonsAreOpen } from './domain/lesson-access.ts';
export { everyLessonDone, progressIn, type Progress } from './domain/progress.ts';
export {
  maySeeLearningOf,
  maySeeStatsOf,
  type InstructorStatsQuery,
  type LearnerCertificatesQuery,
  type LearnerCoursesQuery,
  type LearningQueries,
  type PageRequest,
} from './learning-queries.ts';
export { toEnrollmentView } from './enrollment-view.ts';
export { toCertificateVerification, toCertificateView } from './certificate-view.ts';
export { learningGlossary } from './glossary.ts';
