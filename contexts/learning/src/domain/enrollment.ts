import { AggregateRoot, checkRule, newId, type Actor, type Clock } from '@strata/shared-kernel';
import type { CompletedLesson } from './completed-lesson.ts';
import type { CourseOutline } from './course-outline.ts';
import type { EnrollmentEventPayloads, EnrollmentEventType, EnrollmentSource } from './enrollment-events.ts';
import type { EnrollmentId } from './enrollment-id.ts';
import {
  completedLessonMustBeInTheOutline,
  lessonsAreOpenOnlyWhileEnrolled,
  onlyAFreeCourseCanBeEnrolledInDirectly,
  onlyItsLearnerMayFollowAnEnrollment,
  onlyLearnersMayEnroll,
  outlineMustBeOfTheEnrolledCourse,
  unpublishedCourseCannotBeEnrolledIn,
} from './enrollment-rules.ts';
import type { EnrollmentSnapshot } from './enrollment-snapshot.ts';
import type { EnrollmentStatus } from './enrollment-status.ts';
import { everyLessonDone, progressIn, type Progress } from './progress.ts';

/** What ordering's OrderPaid or OrderRefunded says about one course of the order. */
export interface OrderFacts {
  readonly learnerId: string;
  readonly courseId: string;
  readonly orderId: string;
}

/**
 * One learner in one course, however often they get it: granted by a paid order or directly for
 * a free course, revoked when that order is refunded, granted again by a later purchase, and the
 * lessons they completed along the way. There is one per learner and course (the store keeps them
 * unique); every grant, refund and completion after the first finds this same enrollment.
 *
 * Ordering's events are facts, possibly repeated or late: a grant of an active enrollment, a
 * refund of an order that is not the enrollment's source and a lesson completed twice change
 * nothing and record nothing. Requests of the learner (enroll in a free course, complete a lesson)
 * are refused with a rule's code when they cannot be. State is private (`#`, ADR 0008).
 */
export class Enrollment extends AggregateRoot<EnrollmentId> {
  declare readonly id: EnrollmentId;
  readonly #fields: {
    -readonly [K in Exclude<keyof EnrollmentSnapshot, 'id' | 'version'>]: EnrollmentSnapshot[K];
  };

  private constructor(snapshot: EnrollmentSnapshot) {
    super(snapshot.version);
    const { id, version: _version, ...fields } = snapshot;
    this.id = id;
    this.#fields = fields;
  }

  /** An enrollment as a store kept it: no rule runs and no event is recorded, it already happened. */
  static restore(snapshot: EnrollmentSnapshot): Enrollment {
    return new Enrollment(snapshot);
  }

  toSnapshot(): EnrollmentSnapshot {
    return { ...this.#fields, id: this.id, version: this.version };
  }

  get aggregateType(): 'Enrollment' {
    return 'Enrollment';
  }

  get learnerId(): string {
    return this.#fields.learnerId;
  }

  get courseId(): string {
    return this.#fields.courseId;
  }

  get status(): EnrollmentStatus {
    return this.#fields.status;
  }

  get source(): EnrollmentSource {
    return this.#fields.source;
  }

  get grantedAt(): Date | null {
    return this.#fields.grantedAt && new Date(this.#fields.grantedAt);
  }

  get revokedAt(): Date | null {
    return this.#fields.revokedAt && new Date(this.#fields.revokedAt);
  }

  get completedLessons(): readonly CompletedLesson[] {
    return this.#fields.completedLessons;
  }

  get completedLessonIds(): readonly string[] {
    return this.#fields.completedLessons.map((lesson) => lesson.lessonId);
  }

  /** When the course was completed; once set it stays, whatever the outline becomes. */
  get completedAt(): Date | null {
    return this.#fields.completedAt && new Date(this.#fields.completedAt);
  }

  /** How far the learner is against the outline as it is now (lessons added later show as left). */
  progressIn(outline: CourseOutline): Progress {
    checkRule(outlineMustBeOfTheEnrolledCourse(outline, this.#fields.courseId));
    return progressIn(outline, this.completedLessonIds, this.#fields.completedAt !== null);
  }

  /** A learner takes a free course. `outline` is null when learning knows no such course. */
  static enrollInFreeCourse(
    courseId: string,
    outline: CourseOutline | null,
    actor: Actor,
    clock: Clock,
    id: EnrollmentId = newId<'Enrollment'>(),
  ): Enrollment {
    checkRule(onlyLearnersMayEnroll(actor));
    Enrollment.#checkFreeCourse(courseId, outline);
    return Enrollment.#granted(id, actor.userId, courseId, { kind: 'free' }, clock);
  }

  /**
   * The learner enrolls in a free course they already have an enrollment in (the store found it).
   * Active, it changes nothing; revoked or withheld, the course is theirs again, progress intact.
   */
  enrollAgainInFreeCourse(outline: CourseOutline | null, actor: Actor, clock: Clock): void {
    checkRule(onlyLearnersMayEnroll(actor));
    checkRule(onlyItsLearnerMayFollowAnEnrollment(actor, this.#fields.learnerId, this.id));
    if (this.#fields.status === 'active') return;
    Enrollment.#checkFreeCourse(this.#fields.courseId, outline);
    this.#grant({ kind: 'free' }, clock);
  }

  /** A paid order gives the learner a course they never had an enrollment in. */
  static grantFromOrder(
    paid: OrderFacts,
    clock: Clock,
    id: EnrollmentId = newId<'Enrollment'>(),
  ): Enrollment {
    return Enrollment.#granted(
      id,
      paid.learnerId,
      paid.courseId,
      { kind: 'order', orderId: paid.orderId },
      clock,
    );
  }

  /**
   * A paid order for a course the learner has an enrollment in. Active, nothing changes the learner
   * sees (the same OrderPaid twice grants once), but the order is remembered: should the order that
   * gave the course be refunded, this one still pays for it. Revoked or withheld, a later purchase
   * gives the course back. An order already refunded never grants, however late its payment arrives.
   */
  grantAgainFromOrder(orderId: string, clock: Clock): void {
    if (this.#fields.refundedOrderIds.includes(orderId)) return;
    if (!this.#fields.paidOrderIds.includes(orderId)) {
      this.#fields.paidOrderIds = [...this.#fields.paidOrderIds, orderId];
    }
    if (this.#fields.status === 'active') return;
    this.#grant({ kind: 'order', orderId }, clock);
  }

  /**
   * A refund learning hears of before the payment it refunds (events of two partitions, a payment
   * lost to a dead letter): the learner never had the course from it, and its payment, should it
   * arrive, must not give it. The enrollment is opened withheld and records no event: nothing was
   * granted, nothing is taken away.
   */
  static withholdForEarlyRefund(refunded: OrderFacts, id: EnrollmentId = newId<'Enrollment'>()): Enrollment {
    return new Enrollment({
      id,
      version: 0,
      learnerId: refunded.learnerId,
      courseId: refunded.courseId,
      status: 'withheld',
      source: { kind: 'order', orderId: refunded.orderId },
      grantedAt: null,
      revokedAt: null,
      completedLessons: [],
      completedAt: null,
      refundedOrderIds: [refunded.orderId],
      paidOrderIds: [],
    });
  }

  /**
   * An order was refunded. When it is what gives the learner the course now, access ends and
   * progress stays; any other order's refund changes nothing the learner sees and records no
   * event. Either way the order is remembered, so that its payment never grants again.
   */
  revokeForRefund(orderId: string, clock: Clock): void {
    if (!this.#fields.refundedOrderIds.includes(orderId)) {
      this.#fields.refundedOrderIds = [...this.#fields.refundedOrderIds, orderId];
    }
    this.#fields.paidOrderIds = this.#fields.paidOrderIds.filter((paid) => paid !== orderId);
    const source = this.#fields.source;
    if (this.#fields.status !== 'active' || source.kind !== 'order' || source.orderId !== orderId) return;
    const [stillPaid] = this.#fields.paidOrderIds;
    if (stillPaid !== undefined) {
      // Another paid order keeps the course: nothing the learner sees changes, so no event.
      this.#fields.source = { kind: 'order', orderId: stillPaid };
      return;
    }
    const now = clock.now();
    this.#fields.status = 'revoked';
    this.#fields.revokedAt = now;
    this.#emit('EnrollmentRevoked', { ...this.#facts(), orderId }, now);
  }

  /** Whether `actor` may open the course's lessons: its learner, while the enrollment is active. */
  checkLessonsAreOpenTo(actor: Actor): void {
    checkRule(onlyItsLearnerMayFollowAnEnrollment(actor, this.#fields.learnerId, this.id));
    checkRule(lessonsAreOpenOnlyWhileEnrolled(this.#fields.status, this.#fields.courseId));
  }

  /**
   * The learner finished a lesson of the outline. Twice changes nothing. When it was the last one
   * left the course is completed, once: CourseCompleted follows LessonCompleted.
   */
  completeLesson(lessonId: string, outline: CourseOutline, actor: Actor, clock: Clock): void {
    checkRule(outlineMustBeOfTheEnrolledCourse(outline, this.#fields.courseId));
    this.checkLessonsAreOpenTo(actor);
    if (!this.completedLessonIds.includes(lessonId)) {
      checkRule(completedLessonMustBeInTheOutline(outline, lessonId));
      const now = clock.now();
      this.#fields.completedLessons = [...this.#fields.completedLessons, { lessonId, completedAt: now }];
      const progress = this.progressIn(outline);
      this.#emit(
        'LessonCompleted',
        { ...this.#facts(), lessonId, lessonsDone: progress.lessonsDone, lessonCount: progress.lessonCount },
        now,
      );
    }
    this.reviewCompletion(outline, clock);
  }

  /**
   * Completes the course if every lesson of the outline is done and it was not completed yet: what
   * a removed lesson (the last one left) leaves to do. The data service reviews a course's active
   * enrollments when its outline loses a lesson; a completed course is never reviewed back.
   */
  reviewCompletion(outline: CourseOutline, clock: Clock): void {
    checkRule(outlineMustBeOfTheEnrolledCourse(outline, this.#fields.courseId));
    if (this.#fields.completedAt !== null || this.#fields.status !== 'active') return;
    if (!everyLessonDone(outline, this.completedLessonIds)) return;
    const now = clock.now();
    this.#fields.completedAt = now;
    this.#emit(
      'CourseCompleted',
      { ...this.#facts(), lessonIds: [...outline.lessonIds], completedAt: now.toISOString() },
      now,
    );
  }

  static #checkFreeCourse(courseId: string, outline: CourseOutline | null): void {
    checkRule(unpublishedCourseCannotBeEnrolledIn(outline, courseId));
    const known = outline as CourseOutline;
    checkRule(outlineMustBeOfTheEnrolledCourse(known, courseId));
    checkRule(onlyAFreeCourseCanBeEnrolledInDirectly(known));
  }

  static #granted(
    id: EnrollmentId,
    learnerId: string,
    courseId: string,
    source: EnrollmentSource,
    clock: Clock,
  ): Enrollment {
    const enrollment = new Enrollment({
      id,
      version: 0,
      learnerId,
      courseId,
      status: 'withheld',
      source,
      grantedAt: null,
      revokedAt: null,
      completedLessons: [],
      completedAt: null,
      refundedOrderIds: [],
      paidOrderIds: source.kind === 'order' ? [source.orderId] : [],
    });
    enrollment.#grant(source, clock);
    return enrollment;
  }

  #grant(source: EnrollmentSource, clock: Clock): void {
    const now = clock.now();
    this.#fields.status = 'active';
    this.#fields.source = source;
    this.#fields.grantedAt = now;
    this.#fields.revokedAt = null;
    this.#emit('EnrollmentGranted', { ...this.#facts(), source }, now);
  }

  /** What every event of an enrollment carries. */
  #facts(): { enrollmentId: string; learnerId: string; courseId: string } {
    return { enrollmentId: this.id, learnerId: this.#fields.learnerId, courseId: this.#fields.courseId };
  }

  #emit<TType extends EnrollmentEventType>(
    type: TType,
    payload: EnrollmentEventPayloads[TType],
    occurredAt: Date,
  ): void {
    this.record(type, payload, occurredAt);
  }
}
