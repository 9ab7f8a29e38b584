import { Migration } from '@mikro-orm/migrations';
import { SHORT_LINKS_SLUG_INDEX } from '../short-link-record.ts';

/**
 * The short_links table on MySQL/MariaDB. Slugs are stored folded and compared byte for byte
 * (utf8mb4_bin): the domain already folded them, and a case-insensitive collation would let
 * MariaDB's own folding rules (not the domain's) decide what is taken.
 */
export class CreateShortLinksTable extends Migration {
  override name = 'links-0001-short-links';

  override up(): void {
    this.addSql(`create table short_links (
      id char(36) not null primary key,
      slug varchar(40) not null,
      slug_kind varchar(16) not null,
      target_url varchar(2048) not null,
      owner_id char(36) not null,
      status varchar(16) not null,
      expires_at datetime(3) null,
      max_visits int null,
      created_at datetime(3) not null,
      disabled_by char(36) null,
      disabled_at datetime(3) null,
      expired_at datetime(3) null,
      version int not null default 0,
      unique key ${SHORT_LINKS_SLUG_INDEX} (slug),
      key short_links_owner_id (owner_id, id),
      key short_links_status_expires_at (status, expires_at)
    ) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_bin`);
  }

  override down(): void {
    this.addSql('drop table if exists short_links');
  }
}
