import { AggregateRoot, checkRule, DomainError, Money, newId, type Clock } from '@strata/shared-kernel';
import type { Actor } from '@strata/shared-kernel';
import { normaliseCourseDescription } from './course-description.ts';
import type { CourseEventPayloads, CourseEventType, PriceData } from './course-events.ts';
import type { CourseId } from './course-id.ts';
import {
  archivedCourseCannotBeChanged,
  courseCannotExceedMaxLessons,
  courseCurrencyIsFixedOncePublished,
  coursePriceCannotBeNegative,
  coursePriceCannotExceedMaximum,
  courseWithoutLessonsCannotBePublished,
  courseWithoutPriceCannotBePublished,
  onlyInstructorsMayAuthorCourses,
  onlyTheCourseOwnerMayChangeIt,
  publishedCourseMustKeepALesson,
} from './course-rules.ts';
import type { CourseStatus } from './course-status.ts';
import { normaliseCourseTitle } from './course-title.ts';
import type { Lesson } from './lesson.ts';
import type { LessonId } from './lesson-id.ts';
import { normaliseLessonTitle } from './lesson-title.ts';

export interface CourseDraft {
  readonly title: string;
  readonly description?: string;
}

export interface CourseDetails {
  readonly title?: string;
  readonly description?: string;
}

/**
 * A course an instructor authors and sells: its details, its ordered lessons, its price and where
 * it stands (draft, published, archived). Every change names who is acting, and the course itself
 * decides whether they may: its owning instructor may change anything; an admin may only take it
 * down (unpublish or archive), which is moderation, not authorship.
 *
 * State is plain fields assigned in the constructor only, because the ORM rehydrates courses
 * without calling it. The price is kept as two columns (amount in minor units, currency) and read
 * as Money, so no mapping layer needs to know how to build a Money.
 */
export class Course extends AggregateRoot<CourseId> {
  declare readonly id: CourseId;
  instructorId: string;
  title: string;
  description: string;
  status: CourseStatus;
  lessons: Lesson[];
  priceAmount: number | null;
  priceCurrency: string | null;
  draftedAt: Date;
  publishedAt: Date | null;
  firstPublishedAt: Date | null;

  private constructor(
    id: CourseId,
    instructorId: string,
    title: string,
    description: string,
    draftedAt: Date,
  ) {
    super();
    this.id = id;
    this.instructorId = instructorId;
    this.title = title;
    this.description = description;
    this.status = 'draft';
    this.lessons = [];
    this.priceAmount = null;
    this.priceCurrency = null;
    this.draftedAt = draftedAt;
    this.publishedAt = null;
    this.firstPublishedAt = null;
  }

  get aggregateType(): 'Course' {
    return 'Course';
  }

  get price(): Money | null {
    return this.priceAmount === null || this.priceCurrency === null
      ? null
      : Money.of(this.priceAmount, this.priceCurrency);
  }

  get lessonCount(): number {
    return this.lessons.length;
  }

  /** An instructor starts a course; they own it from then on. */
  static draft(draft: CourseDraft, actor: Actor, clock: Clock, id: CourseId = newId<'Course'>()): Course {
    checkRule(onlyInstructorsMayAuthorCourses(actor));
    const title = normaliseCourseTitle(draft.title);
    const description = normaliseCourseDescription(draft.description ?? '');
    const draftedAt = clock.now();
    const course = new Course(id, actor.userId, title, description, draftedAt);
    course.emit('CourseDrafted', { courseId: id, instructorId: actor.userId, title, description }, draftedAt);
    return course;
  }

  /** Changes the title, the description or both; fields left out keep their value. */
  editDetails(details: CourseDetails, actor: Actor, clock: Clock): void {
    this.requireEditableBy(actor);
    const title = details.title === undefined ? this.title : normaliseCourseTitle(details.title);
    const description =
      details.description === undefined ? this.description : normaliseCourseDescription(details.description);
    if (title === this.title && description === this.description) return;
    this.title = title;
    this.description = description;
    this.emit('CourseDetailsEdited', { courseId: this.id, title, description }, clock.now());
  }

  /** Appends a lesson at the end of the outline and answers its id. */
  addLesson(
    lesson: { readonly title: string },
    actor: Actor,
    clock: Clock,
    lessonId: LessonId = newId<'Lesson'>(),
  ): LessonId {
    this.requireEditableBy(actor);
    const title = normaliseLessonTitle(lesson.title);
    checkRule(courseCannotExceedMaxLessons(this.lessons.length, this.id));
    this.lessons = [...this.lessons, { id: lessonId, title }];
    this.emit(
      'LessonAdded',
      { courseId: this.id, lessonId, title, position: this.lessons.length - 1 },
      clock.now(),
    );
    return lessonId;
  }

  renameLesson(
    rename: { readonly lessonId: string; readonly title: string },
    actor: Actor,
    clock: Clock,
  ): void {
    this.requireEditableBy(actor);
    const lesson = this.lessonNamed(rename.lessonId);
    const title = normaliseLessonTitle(rename.title);
    if (title === lesson.title) return;
    this.lessons = this.lessons.map((each) => (each.id === lesson.id ? { id: each.id, title } : each));
    this.emit('LessonRenamed', { courseId: this.id, lessonId: lesson.id, title }, clock.now());
  }

  removeLesson(removal: { readonly lessonId: string }, actor: Actor, clock: Clock): void {
    this.requireEditableBy(actor);
    const lesson = this.lessonNamed(removal.lessonId);
    checkRule(publishedCourseMustKeepALesson(this.status, this.lessons.length, this.id));
    this.lessons = this.lessons.filter((each) => each.id !== lesson.id);
    this.emit('LessonRemoved', { courseId: this.id, lessonId: lesson.id }, clock.now());
  }

  /** Puts the lessons in the given order, which must name every lesson of the course exactly once. */
  reorderLessons(order: { readonly lessonIds: readonly string[] }, actor: Actor, clock: Clock): void {
    this.requireEditableBy(actor);
    const current = this.lessons.map((lesson) => lesson.id as string);
    const requested = order.lessonIds;
    const namesEveryLessonOnce =
      requested.length === current.length &&
      new Set(requested).size === requested.length &&
      requested.every((id) => current.includes(id));
    if (!namesEveryLessonOnce) {
      throw DomainError.invalid(
        'lesson-order-must-name-every-lesson-once',
        'the new order must list every lesson of the course exactly once',
        {
          field: 'lessonIds',
          expected: current.length,
          missing: current.filter((id) => !requested.includes(id)),
          unknown: requested.filter((id) => !current.includes(id)),
        },
      );
    }
    if (requested.every((id, index) => id === current[index])) return;
    const byId = new Map(this.lessons.map((lesson) => [lesson.id as string, lesson]));
    this.lessons = requested.map((id) => byId.get(id) as Lesson);
    this.emit('LessonsReordered', { courseId: this.id, lessonIds: [...requested] }, clock.now());
  }

  /** Sets what a learner pays, zero for a free course. Setting the current price changes nothing. */
  setPrice(price: Money, actor: Actor, clock: Clock): void {
    this.requireEditableBy(actor);
    checkRule(coursePriceCannotBeNegative(price));
    checkRule(coursePriceCannotExceedMaximum(price));
    const previous = this.price;
    checkRule(courseCurrencyIsFixedOncePublished(previous, price, this.firstPublishedAt !== null, this.id));
    if (previous !== null && previous.equals(price)) return;
    this.priceAmount = price.amount;
    this.priceCurrency = price.currency;
    this.emit(
      'CoursePriceChanged',
      { courseId: this.id, price: priceData(price), previousPrice: previous && priceData(previous) },
      clock.now(),
    );
  }

  /** Puts the course in the catalog. Publishing a published course changes nothing. */
  publish(actor: Actor, clock: Clock): void {
    this.requireEditableBy(actor);
    if (this.status === 'published') return;
    checkRule(courseWithoutLessonsCannotBePublished(this.lessons.length, this.id));
    const price = this.price;
    checkRule(courseWithoutPriceCannotBePublished(price, this.id));
    const now = clock.now();
    this.status = 'published';
    this.publishedAt = now;
    this.firstPublishedAt ??= now;
    this.emit(
      'CoursePublished',
      {
        courseId: this.id,
        instructorId: this.instructorId,
        title: this.title,
        description: this.description,
        price: priceData(price as Money),
        lessonCount: this.lessons.length,
      },
      now,
    );
  }

  /** Takes the course out of the catalog back to draft; learners who bought it keep it. */
  unpublish(actor: Actor, clock: Clock): void {
    this.requireTakeDownBy(actor);
    checkRule(archivedCourseCannotBeChanged(this.status, this.id));
    if (this.status !== 'published') return;
    this.withdraw(actor, clock.now());
  }

  /**
   * Retires the course for good. A published course is withdrawn from the catalog first, so a
   * reader that only follows CourseUnpublished still drops it. Archiving twice changes nothing.
   */
  archive(actor: Actor, clock: Clock): void {
    this.requireTakeDownBy(actor);
    if (this.status === 'archived') return;
    const now = clock.now();
    if (this.status === 'published') this.withdraw(actor, now);
    this.status = 'archived';
    this.emit('CourseArchived', { courseId: this.id, archivedBy: actor.userId }, now);
  }

  private withdraw(actor: Actor, at: Date): void {
    this.status = 'draft';
    this.publishedAt = null;
    this.emit('CourseUnpublished', { courseId: this.id, unpublishedBy: actor.userId }, at);
  }

  /** Authorship: the owning instructor, still an instructor, on a course that is not archived. */
  private requireEditableBy(actor: Actor): void {
    checkRule(onlyTheCourseOwnerMayChangeIt(actor, this.instructorId, this.id));
    checkRule(onlyInstructorsMayAuthorCourses(actor));
    checkRule(archivedCourseCannotBeChanged(this.status, this.id));
  }

  /** Taking a course down is also moderation, so an admin may do it as well as its author. */
  private requireTakeDownBy(actor: Actor): void {
    if (actor.roles.includes('admin')) return;
    checkRule(onlyTheCourseOwnerMayChangeIt(actor, this.instructorId, this.id));
    checkRule(onlyInstructorsMayAuthorCourses(actor));
  }

  private lessonNamed(lessonId: string): Lesson {
    const lesson = this.lessons.find((each) => each.id === lessonId);
    if (!lesson) {
      throw DomainError.notFound('lesson-not-found', `this course has no lesson ${lessonId}`, {
        field: 'lessonId',
        courseId: this.id,
        lessonId,
      });
    }
    return lesson;
  }

  private emit<TType extends CourseEventType>(
    type: TType,
    payload: CourseEventPayloads[TType],
    occurredAt: Date,
  ): void {
    this.record(type, payload, occurredAt);
  }
}

function priceData(price: Money): PriceData {
  return { amount: price.amount, currency: price.currency };
}
