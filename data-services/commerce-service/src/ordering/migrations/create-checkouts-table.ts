import { Migration } from '@mikro-orm/migrations';

/**
 * The checkouts table on MySQL/MariaDB: one row per order's checkout, the saga's state and its
 * outbox of commands in `snapshot`. (step, deadline) finds checkouts whose timer is overdue;
 * (pending_commands, updated_at) finds those with commands still to send; (updated_at, order_id)
 * pages the unfinished ones for an operator, the longest unchanged first.
 */
export class CreateCheckoutsTable extends Migration {
  override name = 'ordering-0003-checkouts';

  override up(): void {
    this.addSql(`create table checkouts (
      order_id char(36) not null primary key,
      learner_id char(36) not null,
      step varchar(24) not null,
      deadline datetime(3) null,
      attempts int not null,
      last_error text null,
      pending_commands int not null,
      snapshot json not null,
      started_at datetime(3) not null,
      updated_at datetime(3) not null,
      version int not null default 0,
      key checkouts_step_deadline (step, deadline),
      key checkouts_pending_commands (pending_commands, updated_at),
      key checkouts_updated_at (updated_at, order_id)
    ) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`);
  }

  override down(): void {
    this.addSql('drop table if exists checkouts');
  }
}
