import type { CourseView } from './contract.ts';
import type { Course } from './domain/course.ts';

/** What the contract shows of a course, field by field, so a new internal field never leaks by accident. */
export function toCourseView(course: Course): CourseView {
  const price = course.price;
  return {
    id: course.id,
    instructorId: course.instructorId,
    title: course.title,
    description: course.description,
    status: course.status,
    price: price === null ? null : { amount: price.amount, currency: price.currency },
    lessons: course.lessons.map((lesson) => ({ id: lesson.id, title: lesson.title })),
    draftedAt: course.draftedAt.toISOString(),
    publishedAt: course.publishedAt?.toISOString() ?? null,
    version: course.version,
  };
}
