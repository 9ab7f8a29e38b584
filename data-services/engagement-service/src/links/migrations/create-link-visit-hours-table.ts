import { Migration } from '@mikro-orm/migrations';

/** The hourly visit rollup on MySQL/MariaDB (visit-stats/link-visit-hour-record.ts). */
export class CreateLinkVisitHoursTable extends Migration {
  override name = 'links-0002-link-visit-hours';

  override up(): void {
    this.addSql(`create table link_visit_hours (
      id varchar(61) not null primary key,
      link_id char(36) not null,
      hour varchar(24) not null,
      visits int not null,
      bot_visits int not null,
      visitor_sketch text not null,
      referrer_hosts text not null,
      browser_families text not null,
      key link_visit_hours_link_id_hour (link_id, hour)
    ) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_bin`);
  }

  override down(): void {
    this.addSql('drop table if exists link_visit_hours');
  }
}
