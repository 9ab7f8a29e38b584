import { createHmac } from 'node:crypto';

/** The header every webhook delivery carries (see the README's "Signature" section). */
export const SIGNATURE_HEADER = 'Simulator-Signature';

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`, Stripe's scheme: the
 * timestamp is signed with the body, so a captured delivery cannot be replayed later under a new
 * time, and the receiver verifies the bytes it received, not a re-serialisation.
 */
export function signatureHeader(secret: string, unixSeconds: number, rawBody: string): string {
  const v1 = createHmac('sha256', secret).update(`${unixSeconds}.${rawBody}`).digest('hex');
  return `t=${unixSeconds},v1=${v1}`;
}
