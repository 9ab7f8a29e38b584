import {
  AggregateRoot,
  checkRule,
  type Money,
  newId,
  normalisePlainText,
  type Clock,
} from '@strata/shared-kernel';
import type { Actor } from '@strata/shared-kernel';
import { courseDescriptionText } from './course-description.ts';
import type { CourseEventPayloads, CourseEventType } from '../course-events.ts';
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
import { lessonsInOrder, lessonWithId } from './lesson-order.ts';
import type { LessonId } from './lesson-id.ts';
import { lessonTitleText } from './lesson-title.ts';

export interface CourseDraft {
  readonly title: string;
  readonly description?: string;
}

export interface CourseDetails {
  readonly title?: string;
  readonly description?: string;
}

/** What every course starts as, but for who drafts it and what they call it. */
const NEW_DRAFT = {
  version: 0,
  status: 'draft',
  lessons: [],
  price: null,
  publishedAt: null,
  firstPublishedAt: null,
} as const satisfies Partial<CourseSnapshot>;

/**
 * A course an instructor drafts and sells: its details, its ordered lessons, its price and where
 * it stands (draft, published, archived). Every change names who is acting, and the course itself
 * decides whether they may: its owning instructor may change anything; an admin may only take it
 * down (unpublish or archive), not change it.
 *
 * Its state is private (`#`, ADR 0008): it is read through getters and changed only by the methods
 * below; a store keeps it through `toSnapshot()` and brings it back with `Course.restore()`.
 */
export class Course extends AggregateRoot<CourseId> {
  declare readonly id: CourseId;
  // Every field in one private record: the snapshot a store keeps, less the kernel's id and version.
  readonly #fields: { -readonly [K in Exclude<keyof CourseSnapshot, 'id' | 'version'>]: CourseSnapshot[K] };

  private constructor(snapshot: CourseSnapshot) {
    super(snapshot.version);
    const { id, version: _version, ...fields } = snapshot;
    this.id = id;
    this.#fields = fields;
  }

  /** A course as a store kept it: no rule runs and no event is recorded, it already happened. */
  static restore(snapshot: CourseSnapshot): Course {
    return new Course(snapshot);
  }

  toSnapshot(): CourseSnapshot {
    return { ...this.#fields, id: this.id, version: this.version };
  }

  get aggregateType(): 'Course' {
    return 'Course';
  }

  get instructorId(): string {
    return this.#fields.instructorId;
  }

  get title(): string {
    return this.#fields.title.value;
  }

  get description(): string {
    return this.#fields.description;
  }

  get status(): CourseStatus {
    return this.#fields.status;
  }

  get lessons(): readonly Lesson[] {
    return this.#fields.lessons;
  }

  get price(): Money | null {
    return this.#fields.price;
  }

  get draftedAt(): Date {
    return new Date(this.#fields.draftedAt);
  }

  get publishedAt(): Date | null {
    return this.#fields.publishedAt && new Date(this.#fields.publishedAt);
  }

  /** An instructor starts a course; they own it from then on. */
  static draft(draft: CourseDraft, actor: Actor, clock: Clock, id: CourseId = newId<'Course'>()): Course {
    checkRule(onlyInstructorsMayDraftAndEditCourses(actor));
    const title = CourseTitle.of(draft.title);
    const description = normalisePlainText(draft.description ?? '', courseDescriptionText);
    const draftedAt = clock.now();
    const course = new Course({
      ...NEW_DRAFT,
      id,
      instructorId: actor.userId,
      title,
      description,
      draftedAt,
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
    const title = details.title === undefined ? this.#fields.title : CourseTitle.of(details.title);
    const description =
      details.description === undefined
        ? this.#fields.description
        : normalisePlainText(details.description, courseDescriptionText);
    if (title.equals(this.#fields.title) && description === this.#fields.description) return;
    this.#fields.title = title;
    this.#fields.description = description;
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
    const title = normalisePlainText(lesson.title, lessonTitleText);
    checkRule(courseCannotExceedMaxLessons(this.#fields.lessons.length, this.id));
    this.#fields.lessons = [...this.#fields.lessons, { id: lessonId, title }];
    this.#emit(
      'LessonAdded',
      { courseId: this.id, lessonId, title, position: this.#fields.lessons.length - 1 },
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
    const lesson = lessonWithId(this.#fields.lessons, rename.lessonId, this.id);
    const title = normalisePlainText(rename.title, lessonTitleText);
    if (title === lesson.title) return;
    this.#fields.lessons = this.#fields.lessons.map((each) =>
      each.id === lesson.id ? { id: each.id, title } : each,
    );
    this.#emit('LessonRenamed', { courseId: this.id, lessonId: lesson.id, title }, clock.now());
  }

  removeLesson(removal: { readonly lessonId: string }, actor: Actor, clock: Clock): void {
    this.#requireEditableBy(actor);
    const lesson = lessonWithId(this.#fields.lessons, removal.lessonId, this.id);
    checkRule(publishedCourseMustKeepALesson(this.#fields.status, this.#fields.lessons.length, this.id));
    this.#fields.lessons = this.#fields.lessons.filter((each) => each.id !== lesson.id);
    this.#emit('LessonRemoved', { courseId: this.id, lessonId: lesson.id }, clock.now());
  }

  /** Puts the lessons in the given order, which must name every lesson of the course exactly once. */
  reorderLessons(order: { readonly lessonIds: readonly string[] }, actor: Actor, clock: Clock): void {
    this.#requireEditableBy(actor);
    const reordered = lessonsInOrder(this.#fields.lessons, order.lessonIds);
    if (reordered.every((lesson, position) => lesson === this.#fields.lessons[position])) return;
    this.#fields.lessons = reordered;
    this.#emit('LessonsReordered', { courseId: this.id, lessonIds: [...order.lessonIds] }, clock.now());
  }

  /** Sets what a learner pays, zero for a free course. Setting the current price changes nothing. */
  setPrice(price: Money, actor: Actor, clock: Clock): void {
    this.#requireEditableBy(actor);
    checkRule(coursePriceCannotBeNegative(price));
    checkRule(coursePriceCannotExceedMaximum(price));
    const previous = this.price;
    checkRule(
      courseCurrencyIsFixedOncePublished(previous, price, this.#fields.firstPublishedAt !== null, this.id),
    );
    if (previous !== null && previous.equals(price)) return;
    this.#fields.price = price;
    this.#emit(
      'CoursePriceChanged',
      { courseId: this.id, price: price.toJSON(), previousPrice: previous && previous.toJSON() },
      clock.now(),
    );
  }

  /** Puts the course in the catalog. Publishing a published course changes nothing. */
  publish(actor: Actor, clock: Clock): void {
    this.#requireEditableBy(actor);
    if (this.#fields.status === 'published') return;
    checkRule(courseWithoutLessonsCannotBePublished(this.#fields.lessons.length, this.id));
    const price = this.price;
    checkRule(courseWithoutPriceCannotBePublished(price, this.id));
    const now = clock.now();
    this.#fields.status = 'published';
    this.#fields.publishedAt = now;
    this.#fields.firstPublishedAt ??= now;
    this.#emit(
      'CoursePublished',
      {
        courseId: this.id,
        instructorId: this.#fields.instructorId,
        title: this.#fields.title.value,
        description: this.#fields.description,
        price: (price as Money).toJSON(),
        lessonCount: this.#fields.lessons.length,
      },
      now,
    );
  }

  /** Takes the course out of the catalog back to draft; learners who bought it keep it. */
  unpublish(actor: Actor, clock: Clock): void {
    this.#requireTakeDownBy(actor);
    checkRule(archivedCourseCannotBeChanged(this.#fields.status, this.id));
    if (this.#fields.status !== 'published') return;
    this.#withdraw(actor, clock.now());
  }

  /**
   * Retires the course for good. A published course is withdrawn from the catalog first, so a
   * reader that only follows CourseUnpublished still drops it. Archiving twice changes nothing.
   */
  archive(actor: Actor, clock: Clock): void {
    this.#requireTakeDownBy(actor);
    if (this.#fields.status === 'archived') return;
    const now = clock.now();
    if (this.#fields.status === 'published') this.#withdraw(actor, now);
    this.#fields.status = 'archived';
    this.#emit('CourseArchived', { courseId: this.id, archivedBy: actor.userId }, now);
  }

  #withdraw(actor: Actor, at: Date): void {
    this.#fields.status = 'draft';
    this.#fields.publishedAt = null;
    this.#emit('CourseUnpublished', { courseId: this.id, unpublishedBy: actor.userId }, at);
  }

  /** Editing: the owning instructor, still an instructor, on a course that is not archived. */
  #requireEditableBy(actor: Actor): void {
    checkRule(onlyTheCourseOwnerMayChangeIt(actor, this.#fields.instructorId, this.id));
    checkRule(onlyInstructorsMayDraftAndEditCourses(actor));
    checkRule(archivedCourseCannotBeChanged(this.#fields.status, this.id));
  }

  /** An admin may take a course down as well as its owner. */
  #requireTakeDownBy(actor: Actor): void {
    if (actor.roles.includes('admin')) return;
    checkRule(onlyTheCourseOwnerMayChangeIt(actor, this.#fields.instructorId, this.id));
    checkRule(onlyInstructorsMayDraftAndEditCourses(actor));
  }

  #emit<TType extends CourseEventType>(
    type: TType,
    payload: CourseEventPayloads[TType],
    occurredAt: Date,
  ): void {
    this.record(type, payload, occurredAt);
  }
}
