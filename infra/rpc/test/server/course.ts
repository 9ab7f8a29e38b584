import { AggregateRoot, DomainError, ensure, newId, type Clock } from '@strata/shared-kernel';

/** A small aggregate for the runtime's tests: drafts, lessons, publication, an ownership rule. */
export class Course extends AggregateRoot {
  title!: string;
  instructorId!: string;
  status!: 'draft' | 'published';
  lessons!: string[];

  get aggregateType(): string {
    return 'Course';
  }

  static draft(title: string, instructorId: string, clock: Clock): Course {
    const course = Object.assign(new Course(), {
      id: newId(),
      title,
      instructorId,
      status: 'draft',
      lessons: [],
    });
    course.record('CourseDrafted', { courseId: course.id, title }, clock.now());
    return course;
  }

  addLesson(actor: string, title: string, clock: Clock): number {
    this.ensureOwner(actor);
    this.lessons.push(title);
    this.record('LessonAdded', { courseId: this.id, position: this.lessons.length }, clock.now());
    return this.lessons.length;
  }

  publish(actor: string, clock: Clock): void {
    this.ensureOwner(actor);
    if (this.status === 'published') return;
    ensure(
      this.lessons.length > 0,
      'course-without-lessons-cannot-be-published',
      'a course needs at least one lesson before it is published',
    );
    this.status = 'published';
    this.record('CoursePublished', { courseId: this.id, title: this.title }, clock.now());
  }

  /** A domain bug on purpose: records an event its contract does not declare. */
  archive(clock: Clock): void {
    this.record('CourseArchived', { courseId: this.id }, clock.now());
  }

  private ensureOwner(actor: string): void {
    if (actor !== this.instructorId) {
      throw DomainError.permissionDenied(
        'only-the-instructor-changes-a-course',
        `only the course's instructor may change it`,
      );
    }
  }
}
