import { Migration } from '@mikro-orm/migrations';

/**
 * Learning's record of the catalog's courses, fed by the catalog's events: the lesson facts and the
 * latest reorder (JSON) the outline is derived from, the derived outline itself (`lesson_ids`,
 * `lesson_count`), and per field group the course version that set it (see OutlineRecord).
 * (instructor_id, course_id) serves the instructors' learning statistics.
 */
export class CreateLearningOutlines extends Migration {
  override name = 'learning-0003-outlines';

  override up(): void {
    this.addSql(`create table learning_outlines (
      course_id char(36) not null primary key,
      instructor_id char(36) null,
      published tinyint(1) not null,
      price_amount int null,
      lessons json not null,
      reordered_lesson_ids json not null,
      reorder_version int not null,
      lesson_ids json not null,
      lesson_count int not null,
      price_version int not null,
      listing_version int not null,
      key learning_outlines_instructor_id (instructor_id, course_id)
    ) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`);
  }

  override down(): void {
    this.addSql('drop table if exists learning_outlines');
  }
}
