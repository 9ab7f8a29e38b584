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
