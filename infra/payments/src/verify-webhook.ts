import { timingSafeEqual } from 'node:crypto';
import { paymentWebhookEventSchema, type PaymentWebhookEvent } from './provider-payment-schema.ts';
import { WEBHOOK_SIGNATURE_HEADER, webhookSignature } from './webhook-signature.ts';

export type WebhookRefusalCode =
  | 'webhook-signature-missing'
  | 'webhook-signature-malformed'
  | 'webhook-signature-mismatch'
  | 'webhook-timestamp-stale'
  | 'webhook-timestamp-in-future'
  | 'webhook-body-malformed';

/** Why a delivery is not accepted: a stable code to answer (400 problem+json) and log, and the detail. */
export interface WebhookRefusal {
  code: WebhookRefusalCode;
  reason: string;
}

export type WebhookVerification =
  { ok: true; event: PaymentWebhookEvent; signedAt: Date } | { ok: false; refusal: WebhookRefusal };

/** Node's `IncomingHttpHeaders`, a plain record, or a fetch `Headers`. */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

const HEX_SHA256 = /^[0-9a-f]{64}$/;
const DEFAULT_TOLERANCE_SECONDS = 300;

/**
 * Checks a webhook delivery before anything in it is believed: the signature header is present
 * and well formed, its timestamp is within `toleranceSeconds` of `now` (either way), one of its
 * `v1` signatures is the HMAC of `<t>.<raw body>` under `secret` (compared in constant time), and
 * the body is a payment event. The checks run in that order, so the body is parsed only once it is
 * known to come from the provider.
 *
 * A valid delivery may still be a replay or a duplicate within the tolerance window, and events
 * arrive out of order: the receiver records handled event ids in its inbox (in the transaction of
 * the effect) and judges each event against the order's current state, not against the previous
 * event it received.
 */
export function verifyWebhook(input: {
  headers: WebhookHeaders;
  /** The body exactly as received, before any JSON parsing. */
  rawBody: string | Uint8Array;
  secret: string;
  toleranceSeconds?: number;
  now?: Date;
}): WebhookVerification {
  const refuse = (code: WebhookRefusalCode, reason: string): WebhookVerification => ({
    ok: false,
    refusal: { code, reason },
  });
  const header = headerValue(input.headers);
  if (header === undefined || header.trim() === '') {
    return refuse('webhook-signature-missing', `no ${WEBHOOK_SIGNATURE_HEADER} header`);
  }
  const parsed = parseSignatureHeader(header);
  if (typeof parsed === 'string') return refuse('webhook-signature-malformed', parsed);

  const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const nowSeconds = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const age = nowSeconds - parsed.timestamp;
  if (age > tolerance) {
    return refuse('webhook-timestamp-stale', `signed ${age} s ago, more than the ${tolerance} s tolerated`);
  }
  if (-age > tolerance) {
    return refuse(
      'webhook-timestamp-in-future',
      `signed ${-age} s ahead of now, more than the ${tolerance} s tolerated`,
    );
  }

  const expected = Buffer.from(webhookSignature(input.secret, parsed.timestamp, input.rawBody), 'hex');
  const matches = parsed.signatures.some((signature) =>
    timingSafeEqual(Buffer.from(signature, 'hex'), expected),
  );
  if (!matches) {
    return refuse(
      'webhook-signature-mismatch',
      'no v1 signature matches the body and timestamp under the webhook secret',
    );
  }

  let json: unknown;
  try {
    json = JSON.parse(
      typeof input.rawBody === 'string' ? input.rawBody : Buffer.from(input.rawBody).toString('utf8'),
    );
  } catch (error) {
    return refuse('webhook-body-malformed', `the body is not JSON: ${(error as Error).message}`);
  }
  const event = paymentWebhookEventSchema.safeParse(json);
  if (!event.success) {
    const issues = event.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
    return refuse('webhook-body-malformed', `the body is not a payment event: ${issues.join('; ')}`);
  }
  return { ok: true, event: event.data, signedAt: new Date(parsed.timestamp * 1000) };
}

function headerValue(headers: WebhookHeaders): string | undefined {
  if (headers instanceof Headers) return headers.get(WEBHOOK_SIGNATURE_HEADER) ?? undefined;
  const name = Object.keys(headers).find((key) => key.toLowerCase() === WEBHOOK_SIGNATURE_HEADER);
  const value = name === undefined ? undefined : headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** `t=<seconds>,v1=<hex>[,v1=<hex>…]` (several v1 while the provider rolls its secret), or why not. */
function parseSignatureHeader(header: string): { timestamp: number; signatures: string[] } | string {
  const timestamps: string[] = [];
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const separator = part.indexOf('=');
    if (separator <= 0) return `"${part.trim()}" is not a key=value pair`;
    const key = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (key === 't') timestamps.push(value);
    else if (key === 'v1') signatures.push(value);
    // Other schemes (v0, a future v2) are skipped, as the scheme's versioning intends.
  }
  if (timestamps.length !== 1) return `expected one t=<unix seconds>, found ${timestamps.length}`;
  if (!/^\d{1,12}$/.test(timestamps[0]!)) return `t=${timestamps[0]} is not unix seconds`;
  if (signatures.length === 0) return 'no v1=<signature>';
  const bad = signatures.find((signature) => !HEX_SHA256.test(signature));
  if (bad !== undefined) return `v1=${bad.slice(0, 80)} is not a hex SHA-256 (64 hex digits)`;
  return { timestamp: Number(timestamps[0]), signatures };
}
