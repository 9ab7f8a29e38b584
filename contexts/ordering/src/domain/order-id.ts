import type { Id } from '@strata/shared-kernel';

export type OrderId = Id<'Order'>;
