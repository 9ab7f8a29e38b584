import type { Actor, BusinessRule } from '@strata/shared-kernel';

/**
 * The role under which the payment provider's word reaches a checkout: the application service
 * that receives the provider's webhooks verifies their signature, then reports them with this
 * role. No person holds it.
 */
export const PAYMENT_PROVIDER_ROLE = 'payment-provider';

export function onlyThePaymentProviderMayReportPaymentEvents(actor: Actor): BusinessRule {
  return {
    code: 'only-the-payment-provider-may-report-payment-events',
    message: 'payment events are reported from the payment provider’s signed webhooks only',
    category: 'PERMISSION_DENIED',
    details: { actorId: actor.userId },
    isBroken: () => !actor.roles.includes(PAYMENT_PROVIDER_ROLE),
  };
}

/**
 * The payment provider's identity on the calls that report its events: the webhook receiver
 * calls with it once a delivery's signature checks out, as the checkout calls with CHECKOUT_ACTOR.
 */
export const PAYMENT_PROVIDER_ACTOR: Actor = {
  userId: '01900000-0000-7000-8000-0000000090a7',
  roles: [PAYMENT_PROVIDER_ROLE],
};
