import type { Actor, Page } from '@strata/shared-kernel';
import type { CheckoutView, CourseSales, OrderView } from './contract.ts';
import { CHECKOUT_ROLE } from './domain/checkout-role.ts';
import type { LearnerStanding } from './domain/learner-standing.ts';
import type { Offer } from './domain/offer.ts';

/** Pages run in a stable order and resume from an opaque cursor the previous page gave. */
export interface PageRequest {
  readonly cursor?: string;
  readonly limit: number;
}

export interface LearnerOrdersQuery extends PageRequest {
  readonly learnerId: string;
}

export interface InstructorSalesQuery extends PageRequest {
  readonly instructorId: string;
}

export interface UnfinishedCheckoutsQuery extends PageRequest {
  /** Only checkouts unchanged for at least this long. */
  readonly stalledForSeconds: number;
}

/**
 * The ordering context's read side: what it asks of a store across orders and of its own records
 * of other contexts' facts (offers from the catalog, certificates from learning). The context says
 * what it asks; a data service answers from its store (MikroORM in commerce-service).
 */
export interface OrderingQueries {
  /** A learner's orders, newest first. */
  ordersOfLearner(query: LearnerOrdersQuery): Promise<Page<OrderView>>;
  /** What the learner owns, is paying for and is certified in, among `courseIds` (enough to place or refund). */
  standingOf(learnerId: string, courseIds: readonly string[]): Promise<LearnerStanding>;
  /** The order a payment settled, if any: how a refund or a late report of the provider finds its order. */
  orderPaidBy(paymentId: string): Promise<OrderView | null>;
  /** The offers of these courses; a course never published has none. */
  offersOf(courseIds: readonly string[]): Promise<Offer[]>;
  /** Sales per course of one instructor, from the orders themselves (a rebuild source for read models). */
  salesOfInstructor(query: InstructorSalesQuery): Promise<Page<CourseSales>>;
  /** Checkouts not at an outcome, the longest unchanged first: where an operator looks for stuck ones. */
  unfinishedCheckouts(query: UnfinishedCheckoutsQuery): Promise<Page<CheckoutView>>;
}

/** A learner's orders are theirs to see, and an admin's; the checkout sees every order it runs. */
export function maySeeOrdersOf(caller: Partial<Actor> | undefined, learnerId: string): boolean {
  const roles = caller?.roles ?? [];
  return caller?.userId === learnerId || roles.includes('admin') || roles.includes(CHECKOUT_ROLE);
}

/** An instructor sees the sales of their own courses; an admin sees anyone's. */
export function maySeeSalesOf(caller: Partial<Actor> | undefined, instructorId: string): boolean {
  return caller?.userId === instructorId || (caller?.roles ?? []).includes('admin');
}

/** Checkouts across learners are for operators (admins) to see; a learner sees their own through its order. */
export function maySeeCheckoutsOf(caller: Partial<Actor> | undefined, learnerId?: string): boolean {
  const roles = caller?.roles ?? [];
  return roles.includes('admin') || (learnerId !== undefined && caller?.userId === learnerId);
}
