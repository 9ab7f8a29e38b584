export type { Actor } from '@strata/shared-kernel';
export { CHECKOUT_ACTOR, CHECKOUT_ROLE } from './domain/checkout-role.ts';
export type { LearnerStanding, PendingOrder } from './domain/learner-standing.ts';
export { NO_STANDING } from './domain/learner-standing.ts';
export type { Offer } from './domain/offer.ts';
export { Order, type Placement } from './domain/order.ts';
export type * from './domain/order-events.ts';
export { MAX_COURSES_PER_ORDER, ORDER_EVENT_PAYLOADS } from './domain/order-events.ts';
export type {
  CancellationFacts,
  PaymentFacts,
  PaymentReport,
  RefundFacts,
  RefundReport,
} from './domain/order-facts.ts';
export type { OrderId } from './domain/order-id.ts';
export { totalOf, type OrderLine } from './domain/order-line.ts';
export type { PlacementContext, RequestedCourse } from './domain/order-placement.ts';
export {
  onlyAPaidOrderCanBeRefunded,
  onlyItsLearnerMayCancelOrRefundAnOrder,
  onlyTheCheckoutMayReportPaymentsAndRefunds,
  orderCannotBePaidOnceClosed,
  orderCannotBePaidTwice,
  orderCannotBeRefundedAfterItsWindow,
  orderCannotBeRefundedOnceACertificateIsIssued,
  orderCannotBeRefundedTwice,
  orderCannotExpireBeforeItsPaymentDeadline,
  paidOrderCannotBeCancelled,
  paymentMustMatchTheOrderTotal,
  refundMustBeRequestedBeforeItIsConfirmed,
} from './domain/order-rules.ts';
export type { OrderSnapshot } from './domain/order-snapshot.ts';
export {
  CANCELLATION_REASONS,
  ORDER_STATUSES,
  REFUND_REASONS,
  type CancellationReason,
  type OrderStatus,
  type RefundReason,
} from './domain/order-status.ts';
export {
  DEFAULT_ORDER_TERMS,
  PAYMENT_WINDOW_BOUNDS_MS,
  REFUND_WINDOW_BOUNDS_MS,
  type OrderTerms,
} from './domain/order-terms.ts';
export {
  courseAwaitingPaymentCannotBeOrderedAgain,
  expectedPriceMustMatchTheOffer,
  freeCourseNeedsNoOrder,
  onlyLearnersMayPlaceOrders,
  orderCannotExceedMaxCourses,
  orderCannotNameACourseTwice,
  orderedCourseMustBeOnOffer,
  orderLinesMustShareOneCurrency,
  orderMustNameACourse,
  ownedCourseCannotBeOrderedAgain,
  unpublishedCourseCannotBeOrdered,
} from './domain/placement-rules.ts';
export {
  decideCheckout,
  MAX_PAYMENT_REQUEST_ATTEMPTS,
  retryDelayMs,
  startCheckout,
} from './checkout/checkout.ts';
export {
  CheckoutCommandSchema,
  CheckoutInputSchema,
  type CheckoutCommand,
  type CheckoutDecision,
  type CheckoutInput,
} from './checkout/checkout-messages.ts';
export {
  BEFORE_PAYMENT,
  CHECKOUT_OUTCOMES,
  CHECKOUT_STEPS,
  CheckoutStateSchema,
  type CheckoutState,
  type CheckoutStep,
  type StrayPayment,
} from './checkout/checkout-state.ts';
export {
  Checkout,
  CheckoutSnapshotSchema,
  OutgoingCommandSchema,
  type CheckoutSnapshot,
  type OutgoingCommand,
} from './checkout/checkout-process.ts';
export { toCheckoutView } from './checkout/checkout-view.ts';
export {
  checkoutInputOf,
  PAYMENT_EVENT_KINDS,
  PaymentEventSchema,
  type PaymentEvent,
} from './checkout/payment-event.ts';
export {
  onlyThePaymentProviderMayReportPaymentEvents,
  PAYMENT_PROVIDER_ACTOR,
  PAYMENT_PROVIDER_ROLE,
} from './checkout/payment-provider-role.ts';
export {
  maySeeCheckoutsOf,
  maySeeOrdersOf,
  maySeeSalesOf,
  type InstructorSalesQuery,
  type LearnerOrdersQuery,
  type OrderingQueries,
  type PageRequest,
  type UnfinishedCheckoutsQuery,
} from './ordering-queries.ts';
export { toOrderView } from './order-view.ts';
export { orderingGlossary } from './glossary.ts';
