import { Migration } from '@mikro-orm/migrations';

/**
 * The certificates table on MySQL/MariaDB: one per enrollment (unique enrollment_id, so a repeated
 * CourseCompleted issues none twice) and one per learner and course; (learner_id, id) pages a
 * learner's certificates newest first by their time-ordered id.
 */
export class CreateCertificatesTable extends Migration {
  override name = 'learning-0002-certificates';

  override up(): void {
    this.addSql(`create table certificates (
      id char(36) not null primary key,
      learner_id char(36) not null,
      course_id char(36) not null,
      enrollment_id char(36) not null,
      issued_at datetime(3) not null,
      version int not null default 0,
      unique key certificates_enrollment_id (enrollment_id),
      unique key certificates_learner_course (learner_id, course_id),
      key certificates_learner_id (learner_id, id)
    ) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`);
  }

  override down(): void {
    this.addSql('drop table if exists certificates');
  }
}
