import { Migration } from '@mikro-orm/migrations';

/**
 * The courses table on MySQL/MariaDB. The (status, id) index serves the catalog's finder, which
 * pages published courses by id; (instructor_id, id) serves an instructor's own list.
 */
export class CreateCoursesTable extends Migration {
  override name = 'catalog-0001-courses';

  override up(): void {
    this.addSql(`create table courses (
      id char(36) not null primary key,
      instructor_id char(36) not null,
      title varchar(120) not null,
      description text not null,
      status varchar(16) not null,
      lessons json not null,
      price_amount int null,
      price_currency char(3) null,
      drafted_at datetime(3) not null,
      published_at datetime(3) null,
      first_published_at datetime(3) null,
      version int not null default 0,
      key courses_status_id (status, id),
      key courses_instructor_id (instructor_id, id)
    ) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`);
  }

  override down(): void {
    this.addSql('drop table if exists courses');
  }
}
