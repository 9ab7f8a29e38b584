import type { Money } from '@strata/shared-kernel';

/** One course of an order, at the price it was offered when the order was placed. */
export interface OrderLine {
  readonly courseId: string;
  readonly instructorId: string;
  readonly title: string;
  readonly price: Money;
}

/** What the order costs: its lines' prices added up, in their one currency. */
export function totalOf(lines: readonly OrderLine[]): Money {
  const [first, ...rest] = lines;
  if (first === undefined) throw new TypeError('an order has at least one line');
  return rest.reduce((total, line) => total.add(line.price), first.price);
}
