import { Migration } from '@mikro-orm/migrations';

/**
 * The orders table on MySQL/MariaDB. (learner_id, id) serves a learner's orders, newest first by
 * their time-ordered id, and their standing; the unique payment id finds the order a payment
 * settled and refuses a second order claiming it; the unique pending claim refuses a second order
 * awaiting payment for the same learner and courses; (status, id) serves the sales of paid orders.
 */
export class CreateOrdersTable extends Migration {
  override name = 'ordering-0001-orders';

  override up(): void {
    this.addSql(`create table orders (
      id char(36) not null primary key,
      learner_id char(36) not null,
      status varchar(20) not null,
      order_lines json not null,
      total_amount int not null,
      total_currency char(3) not null,
      placed_at datetime(3) not null,
      payment_deadline datetime(3) not null,
      refund_window_ms double not null,
      payment_id varchar(100) null,
      paid_at datetime(3) null,
      cancellation_reason varchar(20) null,
      cancelled_by char(36) null,
      cancelled_at datetime(3) null,
      expired_at datetime(3) null,
      refund_reason varchar(24) null,
      refund_requested_by char(36) null,
      refund_requested_at datetime(3) null,
      refund_id varchar(100) null,
      refunded_at datetime(3) null,
      pending_claim char(64) null,
      version int not null default 0,
      unique key orders_payment_id (payment_id),
      unique key orders_pending_claim (pending_claim),
      key orders_learner_id (learner_id, id),
      key orders_status_id (status, id)
    ) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`);
  }

  override down(): void {
    this.addSql('drop table if exists orders');
  }
}
