import type { Actor } from '@strata/shared-kernel';

/**
 * The role of the checkout process when it acts on an order: it alone reports what the payment
 * provider said (paid, declined, refunded) and what the payment window did (expired). No person
 * holds it; the service running the checkout calls with this identity.
 */
export const CHECKOUT_ROLE = 'checkout';

/** The checkout's identity on the calls it makes and in the events it causes (`cancelledBy`, …). */
export const CHECKOUT_ACTOR: Actor = {
  userId: '01900000-0000-7000-8000-00000000c4ec',
  roles: [CHECKOUT_ROLE],
};
