export type { Actor } from '@strata/shared-kernel';
export { Course, type CourseDetails, type CourseDraft } from './domain/course.ts';
export { courseDescriptionText } from './domain/course-description.ts';
export type * from './course-events.ts';
export type { CourseId } from './domain/course-id.ts';
export {
  archivedCourseCannotBeChanged,
  courseCannotExceedMaxLessons,
  courseCurrencyIsFixedOncePublished,
  coursePriceCannotBeNegative,
  coursePriceCannotExceedMaximum,
  courseWithoutLessonsCannotBePublished,
  courseWithoutPriceCannotBePublished,
  MAX_LESSONS_PER_COURSE,
  MAX_PRICE_IN_MINOR_UNITS,
  onlyInstructorsMayDraftAndEditCourses,
  onlyTheCourseOwnerMayChangeIt,
  publishedCourseMustKeepALesson,
} from './domain/course-rules.ts';
export { COURSE_STATUSES, type CourseStatus } from './domain/course-status.ts';
export type { CourseSnapshot } from './domain/course-snapshot.ts';
export { CourseTitle, courseTitleText } from './domain/course-title.ts';
export type { Lesson } from './domain/lesson.ts';
export type { LessonId } from './domain/lesson-id.ts';
export { lessonTitleText } from './domain/lesson-title.ts';
export {
  maySeeEveryCourseOf,
  type CatalogQueries,
  type InstructorCoursesQuery,
  type PageRequest,
  type PublishedCoursesQuery,
} from './catalog-queries.ts';
export { toCourseView } from './course-view.ts';
export { catalogGlossary } from './glossary.ts';
