import { AggregateRoot, checkRule, DomainError, type Money, newId, type Clock } from '@strata/shared-kernel';
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
  onlyInstructorsMayDraftAndEditCourses,
  onlyTheCourseOwnerMayChangeIt,
  publishedCourseMustKeepALesson,
} from './course-rules.ts';
import type { CourseStatus } from './course-status.ts';
import { CourseTitle } from './course-title.ts';
import type { CourseSnapshot } from './course-snapshot.ts';
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
 * A course an instructor drafts and sells: its details, its ordered lessons, its price and where
 * it stands (draft, published, archived). Every change names who is acting, and the course itself
 * decides whether they may: its owning instructor may change anything; an admin may only take it
 * down (unpublish or archive), as an admin does, not change it.
 *
 * Its state is private (`#`, ADR 0008): it is read through getters and changed only by the methods
 * below; a store keeps it through `toSnapshot()` and brings it back with `Course.restore()`.
 */
export class Course extends AggregateRoot<CourseId> {
  declare readonly id: CourseId;
  readonly #instructorId: string;
  #title: CourseTitle;
  #description: string;
  #status: CourseStatus;
  #lessons: readonly Lesson[];
  #price: Money | null;
  readonly #draftedAt: Date;
  #publishedAt: Date | null;
  #firstPublishedAt: Date | null;

  private constructor(snapshot: CourseSnapshot) {
    super(snapshot.version);
    this.id = snapshot.id;
    this.#instructorId = snapshot.instructorId;
    this.#title = snapshot.title;
    this.#description = snapshot.description;
    this.#status = snapshot.status;
    this.#lessons = snapshot.lessons;
    this.#price = snapshot.price;
    this.#draftedAt = snapshot.draftedAt;
    this.#publishedAt = snapshot.publishedAt;
    this.#firstPublishedAt = snapshot.firstPublishedAt;
  }

  /** A course as a store kept it: no rule runs and no event is recorded, it already happened. */
  static restore(snapshot: CourseSnapshot): Course {
    return new Course(snapshot);
  }

  toSnapshot(): CourseSnapshot {
    return {
      id: this.id,
      version: this.version,
      instructorId: this.#instructorId,
      title: this.#title,
      description: this.#description,
      status: this.#status,
      lessons: this.#lessons,
      price: this.#price,
      draftedAt: this.#draftedAt,
      publishedAt: this.#publishedAt,
      firstPublishedAt: this.#firstPublishedAt,
    };
  }

  get aggregateType(): 'Course' {
    return 'Course';
  }

  get instructorId(): string {
    return this.#instructorId;
  }

  get title(): string {
    return this.#title.value;
  }

  get description(): string {
    return this.#description;
  }

  get status(): CourseStatus {
    return this.#status;
  }

  get lessons(): readonly Lesson[] {
    return this.#lessons;
  }

  get price(): Money | null {
    return this.#price;
  }

  get draftedAt(): Date {
    return new Date(this.#draftedAt);
  }

  get publishedAt(): Date | null {
    return this.#publishedAt && new Date(this.#publishedAt);
  }

  get lessonCount(): number {
    return this.#lessons.length;
  }

  /** An instructor starts a course; they own it from then on. */
  static draft(draft: CourseDraft, actor: Actor, clock: Clock, id: CourseId = newId<'Course'>()): Course {
    checkRule(onlyInstructorsMayDraftAndEditCourses(actor));
    const title = CourseTitle.of(draft.title);
    const description = normaliseCourseDescription(draft.description ?? '');
    const draftedAt = clock.now();
    const course = new Course({
      id,
      version: 0,
      instructorId: actor.userId,
      title,
      description,
      status: 'draft',
      lessons: [],
      price: null,
      draftedAt,
      publishedAt: null,
      firstPublishedAt: null,
    });
    course.#emit(
      'CourseDrafted',
      { courseId: id, instructorId: actor.userId, title: title.value, description },
      draftedAt,
    );
    return course;
  }

  /** Changes the title, the description or both; fields left out keep their value. */
  editDetails(details: CourseDetails, actor: Actor, clock: Clock): void {
    this.#requireEditableBy(actor);
    const title = details.title === undefined ? this.#title : CourseTitle.of(details.title);
    const description =
      details.description === undefined ? this.#description : normaliseCourseDescription(details.description);
    if (title.equals(this.#title) && description === this.#description) return;
    this.#title = title;
    this.#description = description;
    this.#emit('CourseDetailsEdited', { courseId: this.id, title: title.value, description }, clock.now());
  }

  /** Appends a lesson at the end of the outline and answers its id. */
  addLesson(
    lesson: { readonly title: string },
    actor: Actor,
    clock: Clock,
    lessonId: LessonId = newId<'Lesson'>(),
  ): LessonId {
    this.#requireEditableBy(actor);
    const title = normaliseLessonTitle(lesson.title);
    checkRule(courseCannotExceedMaxLessons(this.#lessons.length, this.id));
    this.#lessons = [...this.#lessons, { id: lessonId, title }];
    this.#emit(
      'LessonAdded',
      { courseId: this.id, lessonId, title, position: this.#lessons.length - 1 },
      clock.now(),
    );
    return lessonId;
  }

  renameLesson(
    rename: { readonly lessonId: string; readonly title: string },
    actor: Actor,
    clock: Clock,
  ): void {
    this.#requireEditableBy(actor);
    const lesson = this.#lessonNamed(rename.lessonId);
    const title = normaliseLessonTitle(rename.title);
    if (title === lesson.title) return;
    this.#lessons = this.#lessons.map((each) => (each.id === lesson.id ? { id: each.id, title } : each));
    this.#emit('LessonRenamed', { courseId: this.id, lessonId: lesson.id, title }, clock.now());
  }

  removeLesson(removal: { readonly lessonId: string }, actor: Actor, clock: Clock): void {
    this.#requireEditableBy(actor);
    const lesson = this.#lessonNamed(removal.lessonId);
    checkRule(publishedCourseMustKeepALesson(this.#status, this.#lessons.length, this.id));
    this.#lessons = this.#lessons.filter((each) => each.id !== lesson.id);
    this.#emit('LessonRemoved', { courseId: this.id, lessonId: lesson.id }, clock.now());
  }

  /** Puts the lessons in the given order, which must name every lesson of the course exactly once. */
  reorderLessons(order: { readonly lessonIds: readonly string[] }, actor: Actor, clock: Clock): void {
    this.#requireEditableBy(actor);
    const current = this.#lessons.map((lesson) => lesson.id as string);
    const requested = order.lessonIds;
    const listsEveryLessonOnce =
      requested.length === current.length &&
      new Set(requested).size === requested.length &&
      requested.every((id) => current.includes(id));
    if (!listsEveryLessonOnce) {
      throw DomainError.invalid(
        'lesson-order-must-list-every-lesson-once',
        'the new order must list every lesson of the course exactly once',
        {
          field: 'lessonIds',
          expected: current.length,
          missing: current.filter((id) => !requested.includes(id)),
          unknown: requested.filter((id) => !current.includes(id)),
        },
      );
    }
    if (requested.every((id, position) => id === current[position])) return;
    const byId = new Map(this.#lessons.map((lesson) => [lesson.id as string, lesson]));
    this.#lessons = requested.map((id) => byId.get(id) as Lesson);
    this.#emit('LessonsReordered', { courseId: this.id, lessonIds: [...requested] }, clock.now());
  }

  /** Sets what a learner pays, zero for a free course. Setting the current price changes nothing. */
  setPrice(price: Money, actor: Actor, clock: Clock): void {
    this.#requireEditableBy(actor);
    checkRule(coursePriceCannotBeNegative(price));
    checkRule(coursePriceCannotExceedMaximum(price));
    const previous = this.price;
    checkRule(courseCurrencyIsFixedOncePublished(previous, price, this.#firstPublishedAt !== null, this.id));
    if (previous !== null && previous.equals(price)) return;
    this.#price = price;
    this.#emit(
      'CoursePriceChanged',
      { courseId: this.id, price: priceData(price), previousPrice: previous && priceData(previous) },
      clock.now(),
    );
  }

  /** Puts the course in the catalog. Publishing a published course changes nothing. */
  publish(actor: Actor, clock: Clock): void {
    this.#requireEditableBy(actor);
    if (this.#status === 'published') return;
    checkRule(courseWithoutLessonsCannotBePublished(this.#lessons.length, this.id));
    const price = this.price;
    checkRule(courseWithoutPriceCannotBePublished(price, this.id));
    const now = clock.now();
    this.#status = 'published';
    this.#publishedAt = now;
    this.#firstPublishedAt ??= now;
    this.#emit(
      'CoursePublished',
      {
        courseId: this.id,
        instructorId: this.#instructorId,
        title: this.#title.value,
        description: this.#description,
        price: priceData(price as Money),
        lessonCount: this.#lessons.length,
      },
      now,
    );
  }

  /** Takes the course out of the catalog back to draft; learners who bought it keep it. */
  unpublish(actor: Actor, clock: Clock): void {
    this.#requireTakeDownBy(actor);
    checkRule(archivedCourseCannotBeChanged(this.#status, this.id));
    if (this.#status !== 'published') return;
    this.#withdraw(actor, clock.now());
  }

  /**
   * Retires the course for good. A published course is withdrawn from the catalog first, so a
   * reader that only follows CourseUnpublished still drops it. Archiving twice changes nothing.
   */
  archive(actor: Actor, clock: Clock): void {
    this.#requireTakeDownBy(actor);
    if (this.#status === 'archived') return;
    const now = clock.now();
    if (this.#status === 'published') this.#withdraw(actor, now);
    this.#status = 'archived';
    this.#emit('CourseArchived', { courseId: this.id, archivedBy: actor.userId }, now);
  }

  #withdraw(actor: Actor, at: Date): void {
    this.#status = 'draft';
    this.#publishedAt = null;
    this.#emit('CourseUnpublished', { courseId: this.id, unpublishedBy: actor.userId }, at);
  }

  /** Editing: the owning instructor, still an instructor, on a course that is not archived. */
  #requireEditableBy(actor: Actor): void {
    checkRule(onlyTheCourseOwnerMayChangeIt(actor, this.#instructorId, this.id));
    checkRule(onlyInstructorsMayDraftAndEditCourses(actor));
    checkRule(archivedCourseCannotBeChanged(this.#status, this.id));
  }

  /** An admin may take a course down as well as its owner. */
  #requireTakeDownBy(actor: Actor): void {
    if (actor.roles.includes('admin')) return;
    checkRule(onlyTheCourseOwnerMayChangeIt(actor, this.#instructorId, this.id));
    checkRule(onlyInstructorsMayDraftAndEditCourses(actor));
  }

  #lessonNamed(lessonId: string): Lesson {
    const lesson = this.#lessons.find((each) => each.id === lessonId);
    if (!lesson) {
      throw DomainError.notFound('lesson-not-found', `this course has no lesson ${lessonId}`, {
        field: 'lessonId',
        courseId: this.id,
        lessonId,
      });
    }
    return lesson;
  }

  #emit<TType extends CourseEventType>(
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
