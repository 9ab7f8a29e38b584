import type { OrderPlaced } from '../domain/order-events.ts';
import { commandsOf, STEP_COMMAND, strayRefund } from './checkout-commands.ts';
import type { CheckoutCommand, CheckoutDecision, CheckoutInput } from './checkout-messages.ts';
import {
  BEFORE_PAYMENT,
  type CheckoutState,
  type CheckoutStep,
  type StrayPayment,
} from './checkout-state.ts';

/*
 * The checkout: one process per order, from OrderPlaced to an outcome, as a pure state machine.
 * `decideCheckout(state, input, now)` answers the next state and the commands to send; it never
 * does I/O, so a store persists the state and an outbox sends the commands in one transaction, and
 * a crash between any two inputs resumes from the stored state.
 *
 * Every input is safe to deliver twice: one that changes nothing answers the same state and no
 * command. A payment the order cannot take (approved after it closed, or a second one) is refunded,
 * never kept: an order is paid at most once.
 */

/** Before the pivot the checkout gives up on a provider it cannot reach, and cancels the order. */
export const MAX_PAYMENT_REQUEST_ATTEMPTS = 5;
const FIRST_RETRY_MS = 5_000;
const LONGEST_RETRY_MS = 60 * 60_000;

/** 5 s, 10 s, 20 s … doubling up to an hour between attempts. */
export function retryDelayMs(attempts: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), LONGEST_RETRY_MS);
}

/** Starts the checkout of a newly placed order: it asks the provider for a payment. */
export function startCheckout(placed: OrderPlaced, now: Date): CheckoutDecision {
  const at = now.toISOString();
  const initial: CheckoutState = {
    orderId: placed.orderId,
    learnerId: placed.learnerId,
    courseIds: placed.lines.map((line) => line.courseId),
    total: placed.total,
    paymentDeadline: placed.paymentDeadline,
    step: 'requesting-payment',
    paymentId: null,
    paymentPageUrl: null,
    paidAt: null,
    paidAmount: null,
    paymentFailure: null,
    enrolledCourseIds: [],
    unenrollableCourseIds: [],
    refundReason: null,
    refundId: null,
    refundedAt: null,
    strayPayments: [],
    attempts: 0,
    lastError: null,
    retryAt: null,
    deadline: null,
    startedAt: at,
    updatedAt: at,
  };
  return enter(initial, 'requesting-payment', now);
}

export function decideCheckout(state: CheckoutState, input: CheckoutInput, now: Date): CheckoutDecision {
  const unchanged: CheckoutDecision = { checkout: state, commands: [] };
  const { step } = state;
  switch (input.type) {
    case 'PaymentRequested':
      if (step !== 'requesting-payment') return unchanged;
      return enter(
        { ...state, paymentId: input.paymentId, paymentPageUrl: input.paymentPageUrl },
        'awaiting-payment',
        now,
      );
    case 'PaymentApproved': {
      const kept = state.paidAt !== null && state.paymentId === input.paymentId;
      if (kept || state.strayPayments.some((stray) => stray.paymentId === input.paymentId)) return unchanged;
      if (BEFORE_PAYMENT.includes(step)) {
        return enter(
          { ...state, paymentId: input.paymentId, paidAt: input.paidAt, paidAmount: input.amount },
          'confirming-payment',
          now,
        );
      }
      return refundStray(state, input.paymentId, input.amount, now);
    }
    case 'PaymentDeclined':
      if (!BEFORE_PAYMENT.includes(step)) return unchanged;
      if (state.paymentId !== null && state.paymentId !== input.paymentId) return unchanged;
      return enter({ ...state, paymentFailure: 'payment-declined' }, 'cancelling', now);
    case 'OrderRefusedPayment': {
      if (step !== 'confirming-payment' || input.paymentId !== state.paymentId) return unchanged;
      const next: CheckoutStep =
        input.orderStatus === 'cancelled' || input.orderStatus === 'expired'
          ? input.orderStatus
          : 'awaiting-payment';
      const refused = { ...state, paymentId: null, paidAt: null, paidAmount: null };
      const moved = enter(
        refused,
        next,
        now,
        `the order (${input.orderStatus}) refused payment ${input.paymentId}`,
      );
      const refunded = refundStray(moved.checkout, input.paymentId, state.paidAmount ?? state.total, now);
      return { checkout: refunded.checkout, commands: [...moved.commands, ...refunded.commands] };
    }
    case 'OrderPaid':
      if (step !== 'confirming-payment' || input.paymentId !== state.paymentId) return unchanged;
      return settleEnrollment(state, now);
    case 'OrderCancelled':
      if (![...BEFORE_PAYMENT, 'cancelling', 'expiring'].includes(step)) return unchanged;
      return enter(state, 'cancelled', now);
    case 'OrderExpired':
      if (![...BEFORE_PAYMENT, 'cancelling', 'expiring'].includes(step)) return unchanged;
      return enter(state, 'expired', now);
    case 'EnrollmentGranted': {
      if (state.paidAt === null || state.enrolledCourseIds.includes(input.courseId)) return unchanged;
      if (!state.courseIds.includes(input.courseId)) return unchanged;
      const granted = { ...state, enrolledCourseIds: [...state.enrolledCourseIds, input.courseId] };
      return step === 'awaiting-enrollment' ? settleEnrollment(granted, now) : touched(granted, now);
    }
    case 'EnrollmentImpossible': {
      if (state.paidAt === null || state.unenrollableCourseIds.includes(input.courseId)) return unchanged;
      if (!state.courseIds.includes(input.courseId)) return unchanged;
      const refused = { ...state, unenrollableCourseIds: [...state.unenrollableCourseIds, input.courseId] };
      return step === 'awaiting-enrollment' ? settleEnrollment(refused, now) : touched(refused, now);
    }
    case 'RefundRequested':
      if (!['requesting-refund', 'awaiting-enrollment', 'completed'].includes(step)) return unchanged;
      return enter({ ...state, refundReason: input.reason }, 'refunding-payment', now);
    case 'PaymentRefunded': {
      const stray = state.strayPayments.find((candidate) => candidate.paymentId === input.paymentId);
      if (stray !== undefined) {
        if (stray.refundId !== null) return unchanged;
        return touched(withStray(state, { ...stray, refundId: input.refundId, retryAt: null }), now);
      }
      if (step !== 'refunding-payment' || input.paymentId !== state.paymentId) return unchanged;
      return enter(
        { ...state, refundId: input.refundId, refundedAt: input.refundedAt },
        'confirming-refund',
        now,
      );
    }
    case 'OrderRefunded':
      if (step !== 'confirming-refund' || input.refundId !== state.refundId) return unchanged;
      return enter(state, 'refunded', now);
    case 'CommandFailed':
      return failed(state, input, now);
    case 'DeadlinePassed':
      return timerWentOff(state, now);
  }
}

/** After the payment is kept: every course enrolled → completed; one impossible → refund the order. */
function settleEnrollment(state: CheckoutState, now: Date): CheckoutDecision {
  if (state.unenrollableCourseIds.length > 0) {
    const why = `no enrollment possible in ${state.unenrollableCourseIds.join(', ')}`;
    return enter({ ...state, refundReason: 'enrollment-impossible' }, 'requesting-refund', now, why);
  }
  const done = state.courseIds.every((courseId) => state.enrolledCourseIds.includes(courseId));
  if (done) return enter(state, 'completed', now);
  return state.step === 'awaiting-enrollment'
    ? touched(state, now)
    : enter(state, 'awaiting-enrollment', now);
}

function failed(
  state: CheckoutState,
  input: Extract<CheckoutInput, { type: 'CommandFailed' }>,
  now: Date,
): CheckoutDecision {
  const unchanged: CheckoutDecision = { checkout: state, commands: [] };
  const stray = state.strayPayments.find((candidate) => candidate.paymentId === input.paymentId);
  if (input.command === 'RefundPayment' && stray !== undefined) {
    if (stray.refundId !== null || stray.retryAt !== null || stray.attempts !== input.attempt)
      return unchanged;
    const retryAt = new Date(now.getTime() + retryDelayMs(stray.attempts)).toISOString();
    return touched(withStray({ ...state, lastError: input.error }, { ...stray, retryAt }), now);
  }
  const current = STEP_COMMAND[state.step];
  if (input.command !== current || input.attempt !== state.attempts || state.retryAt !== null)
    return unchanged;
  if (state.step === 'requesting-payment' && state.attempts >= MAX_PAYMENT_REQUEST_ATTEMPTS) {
    return enter({ ...state, paymentFailure: 'payment-unavailable' }, 'cancelling', now, input.error);
  }
  const retryAt = new Date(now.getTime() + retryDelayMs(state.attempts)).toISOString();
  return touched({ ...state, lastError: input.error, retryAt }, now);
}

/** The timer: the payment window's end before the pivot, or the time to send a failed command again. */
function timerWentOff(state: CheckoutState, now: Date): CheckoutDecision {
  if (BEFORE_PAYMENT.includes(state.step) && now >= new Date(state.paymentDeadline)) {
    return enter(state, 'expiring', now);
  }
  const due = (at: string | null) => at !== null && now >= new Date(at);
  const commands: CheckoutCommand[] = [];
  let next = state;
  if (due(state.retryAt)) {
    next = { ...next, attempts: next.attempts + 1, retryAt: null };
    commands.push(...commandsOf(next));
  }
  for (const stray of state.strayPayments.filter((candidate) => due(candidate.retryAt))) {
    const resent = { ...stray, attempts: stray.attempts + 1, retryAt: null };
    next = withStray(next, resent);
    commands.push(strayRefund(next, resent));
  }
  return commands.length === 0
    ? { checkout: state, commands }
    : { checkout: touched(next, now).checkout, commands };
}

/** Moves to `step`, sending its command as the first attempt; `why` says what made it move, if not success. */
function enter(
  state: CheckoutState,
  step: CheckoutStep,
  now: Date,
  why: string | null = null,
): CheckoutDecision {
  const sends = STEP_COMMAND[step] !== undefined;
  const moved: CheckoutState = { ...state, step, attempts: sends ? 1 : 0, retryAt: null, lastError: why };
  const checkout = touched(moved, now).checkout;
  return { checkout, commands: commandsOf(checkout) };
}

function refundStray(
  state: CheckoutState,
  paymentId: string,
  amount: CheckoutState['total'],
  now: Date,
): CheckoutDecision {
  const stray: StrayPayment = { paymentId, amount, refundId: null, attempts: 1, retryAt: null };
  const checkout = touched({ ...state, strayPayments: [...state.strayPayments, stray] }, now).checkout;
  return { checkout, commands: [strayRefund(checkout, stray)] };
}

function withStray(state: CheckoutState, stray: StrayPayment): CheckoutState {
  return {
    ...state,
    strayPayments: state.strayPayments.map((each) => (each.paymentId === stray.paymentId ? stray : each)),
  };
}

/** Stamps the change and works out when the checkout next wants the timer. */
function touched(state: CheckoutState, now: Date): CheckoutDecision {
  const wakeTimes = [
    BEFORE_PAYMENT.includes(state.step) ? state.paymentDeadline : null,
    state.retryAt,
    ...state.strayPayments.map((stray) => stray.retryAt),
  ].filter((at): at is string => at !== null);
  const deadline =
    wakeTimes.length === 0 ? null : wakeTimes.reduce((a, b) => (new Date(a) <= new Date(b) ? a : b));
  return { checkout: { ...state, deadline, updatedAt: now.toISOString() }, commands: [] };
}
