import { Migration } from '@mikro-orm/migrations';

/**
 * Ordering's records of other contexts' facts: the catalog's offers (fed by its events) and
 * learning's certificates (fed by its CertificateIssued, see certificate-subscription.ts). Each field group of an
 * offer keeps the course version that set it (see OfferRecord).
 */
export class CreateOrderingProjections extends Migration {
  override name = 'ordering-0002-offers-and-certificates';

  override up(): void {
    this.addSql(`create table ordering_offers (
      course_id char(36) not null primary key,
      instructor_id char(36) null,
      title varchar(120) null,
      price_amount int null,
      price_currency char(3) null,
      published tinyint(1) not null,
      details_version int not null,
      price_version int not null,
      listing_version int not null,
      key ordering_offers_instructor_id (instructor_id, course_id)
    ) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`);
    this.addSql(`create table ordering_certificates (
      learner_id char(36) not null,
      course_id char(36) not null,
      issued_at datetime(3) not null,
      primary key (learner_id, course_id)
    ) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`);
  }

  override down(): void {
    this.addSql('drop table if exists ordering_certificates');
    this.addSql('drop table if exists ordering_offers');
  }
}
