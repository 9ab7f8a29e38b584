import type { Money } from '@strata/shared-kernel';

/**
 * A course as ordering knows it for sale: ordering's own record of what the catalog announced
 * (kept by its data service from the catalog's events), never the catalog's Course itself.
 */
export interface Offer {
  readonly courseId: string;
  /** Whose course it is: sales are reported to them. */
  readonly instructorId: string;
  readonly title: string;
  readonly price: Money;
  /** False once the course left the catalog (unpublished or archived): it cannot be ordered. */
  readonly published: boolean;
}
