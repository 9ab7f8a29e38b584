import { Migration } from '@mikro-orm/migrations';
import { USER_EMAIL_INDEX } from '../user-record.ts';

/**
 * The users table on MySQL/MariaDB. The unique index on the normalised email is what finally
 * decides between two concurrent registrations; the domain's uniqueness check only spares the
 * common case a hash and an insert.
 */
export class CreateUsersTable extends Migration {
  override name = 'identity-0001-users';

  override up(): void {
    this.addSql(`create table users (
      id char(36) not null primary key,
      email varchar(254) not null,
      display_name varchar(80) not null,
      password_hash varchar(255) not null,
      roles json not null,
      status varchar(16) not null,
      suspension_reason varchar(500) null,
      email_verified_at datetime(3) null,
      registered_at datetime(3) not null,
      version int not null default 0,
      unique key ${USER_EMAIL_INDEX} (email)
    ) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_bin`);
  }

  override down(): void {
    this.addSql('drop table if exists users');
  }
}
