import type { OrderView } from '@strata/ordering/contract';

/** A line of a paid or refunded order: course, instructor, title and price as sold. */
export type SoldLine = OrderView['lines'][number];

/**
 * What one ordering event changes in the sales read model: every line of an order counted as sold
 * (OrderPaid) or as refunded (OrderRefunded). Both events carry the order's lines, so the read
 * model need not remember which courses an order paid for.
 */
export interface SaleChange {
  /** The event envelope's id: applying the same id again changes nothing. */
  readonly eventId: string;
  readonly kind: 'paid' | 'refunded';
  readonly lines: readonly SoldLine[];
}

/** What applying a change did: counted it, or found its event id already counted. */
export type ApplyOutcome = 'applied' | 'duplicate';
