import { FixedClock, Money, newId } from '@strata/shared-kernel';
import { Course, type Actor, type CourseDraft } from '@strata/catalog';

export const DRAFTED_AT = '2026-04-01T08:00:00.000Z';

export function anInstructor(userId: string = newId<'User'>()): Actor {
  return { userId, roles: ['learner', 'instructor'] };
}

export function anAdmin(): Actor {
  return { userId: newId<'User'>(), roles: ['learner', 'admin'] };
}

export function aLearner(): Actor {
  return { userId: newId<'User'>(), roles: ['learner'] };
}

export function aDraft(overrides: Partial<CourseDraft> = {}): CourseDraft {
  return {
    title: 'Domain-Driven Design in TypeScript',
    description: 'Aggregates, events and contracts, by example.',
    ...overrides,
  };
}

/** A saved draft with no lessons and no price, owned by `owner`. */
export function aDraftCourse(owner: Actor = anInstructor(), overrides: Partial<CourseDraft> = {}): Course {
  const course = Course.draft(aDraft(overrides), owner, new FixedClock(DRAFTED_AT));
  course.markSaved();
  return course;
}

/** A saved draft that has everything it needs to be published: lessons and a price. */
export function aPublishableCourse(
  owner: Actor = anInstructor(),
  lessonTitles = ['Why aggregates', 'Events as facts'],
): Course {
  const clock = new FixedClock(DRAFTED_AT);
  const course = Course.draft(aDraft(), owner, clock);
  for (const title of lessonTitles) course.addLesson({ title }, owner, clock);
  course.setPrice(Money.of(4900, 'EUR'), owner, clock);
  course.markSaved();
  return course;
}

export function aPublishedCourse(owner: Actor = anInstructor()): Course {
  const course = aPublishableCourse(owner);
  course.publish(owner, new FixedClock(DRAFTED_AT));
  course.markSaved();
  return course;
}

export function anArchivedCourse(owner: Actor = anInstructor()): Course {
  const course = aPublishableCourse(owner);
  course.archive(owner, new FixedClock(DRAFTED_AT));
  course.markSaved();
  return course;
}
