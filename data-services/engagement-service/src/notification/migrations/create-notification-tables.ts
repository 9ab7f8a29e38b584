import { Migration } from '@mikro-orm/migrations';
import { NOTIFICATIONS_POSITION_INDEX, NOTIFICATIONS_SOURCE_EVENT_INDEX } from '../notification-record.ts';

/** The feeds (one counter row a recipient) and their notifications, on MySQL/MariaDB. */
export class CreateNotificationTables extends Migration {
  override name = 'notification-0001-feeds-and-notifications';

  override up(): void {
    this.addSql(`create table notification_feeds (
      id char(36) not null primary key,
      epoch varchar(64) not null,
      latest_position int not null,
      read_up_to int not null,
      read_up_to_at datetime(3) null,
      started_at datetime(3) not null,
      version int not null default 0
    ) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_bin`);
    this.addSql(`create table notifications (
      id char(36) not null primary key,
      recipient_id char(36) not null,
      kind varchar(24) not null,
      title varchar(120) not null,
      text text not null,
      link varchar(200) null,
      created_at datetime(3) not null,
      read_at datetime(3) null,
      epoch varchar(64) not null,
      position int not null,
      source_event_id char(36) not null,
      version int not null default 0,
      unique key ${NOTIFICATIONS_POSITION_INDEX} (recipient_id, epoch, position),
      unique key ${NOTIFICATIONS_SOURCE_EVENT_INDEX} (source_event_id)
    ) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_bin`);
  }

  override down(): void {
    this.addSql('drop table if exists notifications');
    this.addSql('drop table if exists notification_feeds');
  }
}
