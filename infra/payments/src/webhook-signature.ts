import { createHmac } from 'node:crypto';

/** The header the provider signs each webhook delivery with. */
export const WEBHOOK_SIGNATURE_HEADER = 'simulator-signature';

/**
 * HMAC-SHA256 with the shared secret over `<unix seconds>.<raw body>`, as hex: the scheme the
 * provider signs with (tools/payment-simulator/README.md, "Signature"). Over the bytes received,
 * never a re-serialisation, which would not reproduce them.
 */
export function webhookSignature(secret: string, unixSeconds: number, rawBody: string | Uint8Array): string {
  return createHmac('sha256', secret).update(`${unixSeconds}.`).update(rawBody).digest('hex');
}

/** A `Simulator-Signature` header value: `t=<unix seconds>,v1=<hex>`. */
export function webhookSignatureHeader(
  secret: string,
  unixSeconds: number,
  rawBody: string | Uint8Array,
): string {
  return `t=${unixSeconds},v1=${webhookSignature(secret, unixSeconds, rawBody)}`;
}
