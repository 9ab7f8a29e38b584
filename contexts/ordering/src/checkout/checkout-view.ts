import type { CheckoutView } from '../contract.ts';
import type { Checkout } from './checkout-process.ts';

/** What the contract shows of a checkout: where it stands and what it still has to send, never its whole state. */
export function toCheckoutView(checkout: Checkout): CheckoutView {
  const { state } = checkout;
  return {
    id: state.orderId,
    learnerId: state.learnerId,
    step: state.step,
    paymentId: state.paymentId,
    paymentPageUrl: state.paymentPageUrl,
    deadline: state.deadline,
    attempts: state.attempts,
    lastError: state.lastError,
    pendingCommands: checkout.outgoing.map((outgoing) => ({
      type: outgoing.command.type,
      issuedAt: outgoing.issuedAt,
    })),
    startedAt: state.startedAt,
    updatedAt: state.updatedAt,
    version: checkout.version,
  };
}
