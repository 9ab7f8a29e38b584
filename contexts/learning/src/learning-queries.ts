import type { Actor, Page } from '@strata/shared-kernel';
import type { CertificateView, CourseLearningStats, LearnerCourse } from './contract.ts';
import type { CourseOutline } from './domain/course-outline.ts';
import type { Enrollment } from './domain/enrollment.ts';

/** Pages run in a stable order and resume from an opaque cursor the previous page gave. */
export interface PageRequest {
  readonly cursor?: string;
  readonly limit: number;
}

export interface LearnerCoursesQuery extends PageRequest {
  readonly learnerId: string;
}

export interface InstructorStatsQuery extends PageRequest {
  readonly instructorId: string;
}

export interface LearnerCertificatesQuery extends PageRequest {
  readonly learnerId: string;
}

/**
 * The learning context's read side: what it asks of a store across enrollments and of its own
 * records of the catalog's courses (the outlines, kept from CoursePublished, CoursePriceChanged,
 * LessonAdded, LessonRemoved, LessonsReordered, CourseUnpublished and CourseArchived). The context
 * says what it asks; a data service answers from its store.
 */
export interface LearningQueries {
  /** The course's outline as learning knows it; null when learning has heard of no such course. */
  outlineOf(courseId: string): Promise<CourseOutline | null>;
  /** The learner's enrollment in the course, whatever its status: how grants, refunds and enrolling again find it. */
  enrollmentOf(learnerId: string, courseId: string): Promise<Enrollment | null>;
  /** Active enrollments of a course not yet completed: those to review when its outline loses a lesson. */
  unfinishedEnrollmentsIn(courseId: string): Promise<Enrollment[]>;
  /** "My courses": the learner's active and revoked enrollments, newest grant first (never the withheld ones). */
  coursesOfLearner(query: LearnerCoursesQuery): Promise<Page<LearnerCourse>>;
  /** Per course of one instructor: enrollments, active learners and completions. */
  statsOfInstructor(query: InstructorStatsQuery): Promise<Page<CourseLearningStats>>;
  /** The learner's certificates, newest first. */
  certificatesOfLearner(query: LearnerCertificatesQuery): Promise<Page<CertificateView>>;
}

/** A learner's enrollments and certificates are theirs to see, and an admin's. */
export function maySeeLearningOf(caller: Partial<Actor> | undefined, learnerId: string): boolean {
  return caller?.userId === learnerId || (caller?.roles ?? []).includes('admin');
}

/** An instructor sees the learning statistics of their own courses; an admin sees anyone's. */
export function maySeeStatsOf(caller: Partial<Actor> | undefined, instructorId: string): boolean {
  return caller?.userId === instructorId || (caller?.roles ?? []).includes('admin');
}
