import { Migration } from '@mikro-orm/migrations';

/**
 * The enrollments table on MySQL/MariaDB. (learner_id, course_id) is unique: one enrollment per
 * learner and course however often a grant arrives; (learner_id, granted_at_ms, id) pages "my
 * courses" newest grant first; (course_id, status) finds a course's unfinished enrollments when its
 * outline loses a lesson and counts its learners for the instructor.
 */
export class CreateEnrollmentsTable extends Migration {
  override name = 'learning-0001-enrollments';

  override up(): void {
    this.addSql(`create table enrollments (
      id char(36) not null primary key,
      learner_id char(36) not null,
      course_id char(36) not null,
      status varchar(16) not null,
      source json not null,
      granted_at datetime(3) null,
      granted_at_ms double null,
      revoked_at datetime(3) null,
      completed_lessons json not null,
      completed_at datetime(3) null,
      refunded_order_ids json not null,
      paid_order_ids json not null,
      version int not null default 0,
      unique key enrollments_learner_course (learner_id, course_id),
      key enrollments_learner_granted (learner_id, granted_at_ms, id),
      key enrollments_course_status (course_id, status)
    ) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`);
  }

  override down(): void {
    this.addSql('drop table if exists enrollments');
  }
}
