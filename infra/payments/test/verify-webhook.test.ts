import { describe, expect, it } from '@jest/globals';
import {
  verifyWebhook,
  webhookSignature,
  webhookSignatureHeader,
  type WebhookVerification,
} from '../src/index.ts';

const SECRET = 'whsec_test_0123456789abcdef';
const NOW = new Date('2026-12-03T12:00:00Z');
const T = Math.floor(NOW.getTime() / 1000);

const event = {
  id: 'evt_1',
  type: 'payment.succeeded',
  created: T,
  data: {
    payment: {
      id: 'pay_1',
      status: 'succeeded',
      amount: 1999,
      currency: 'EUR',
      reference: 'order-1',
      returnUrl: null,
      paymentPageUrl: 'http://127.0.0.1:4242/pay/pay_1',
      created: T,
      refund: null,
    },
  },
};
const body = JSON.stringify(event);

function verify(
  header: string | undefined,
  rawBody: string | Uint8Array = body,
  options: { now?: Date; toleranceSeconds?: number } = {},
) {
  return verifyWebhook({
    headers: header === undefined ? {} : { 'simulator-signature': header },
    rawBody,
    secret: SECRET,
    now: options.now ?? NOW,
    ...(options.toleranceSeconds === undefined ? {} : { toleranceSeconds: options.toleranceSeconds }),
  });
}

function refusalOf(verification: WebhookVerification) {
  if (verification.ok)
    throw new Error(`expected a refusal, the delivery was accepted: ${verification.event.id}`);
  return verification.refusal;
}

describe('verifyWebhook', () => {
  it('accepts a delivery signed with the secret over the timestamp and raw body, and returns the parsed event', () => {
    const verification = verify(webhookSignatureHeader(SECRET, T, body));
    expect(verification).toEqual({ ok: true, event, signedAt: new Date(T * 1000) });
  });

  it('reads the header whatever its case, from a record or a fetch Headers, and takes the body as bytes', () => {
    const header = webhookSignatureHeader(SECRET, T, body);
    const bytes = new TextEncoder().encode(body);
    expect(
      verifyWebhook({ headers: { 'Simulator-Signature': header }, rawBody: bytes, secret: SECRET, now: NOW })
        .ok,
    ).toBe(true);
    expect(
      verifyWebhook({
        headers: new Headers({ 'simulator-signature': header }),
        rawBody: body,
        secret: SECRET,
        now: NOW,
      }).ok,
    ).toBe(true);
  });

  it('accepts any one matching v1 among several (the provider rolling its secret) and skips unknown schemes', () => {
    const other = webhookSignature('whsec_the_old_secret_000000', T, body);
    const header = `t=${T},v0=abc,v1=${other},v1=${webhookSignature(SECRET, T, body)}`;
    expect(verify(header).ok).toBe(true);
  });

  it('refuses a delivery without the header: webhook-signature-missing', () => {
    expect(refusalOf(verify(undefined)).code).toBe('webhook-signature-missing');
    expect(refusalOf(verify('  ')).code).toBe('webhook-signature-missing');
  });

  it.each([
    ['garbage', 'is not a key=value pair'],
    [`v1=${'a'.repeat(64)}`, 'expected one t=<unix seconds>, found 0'],
    [`t=${T},t=${T},v1=${'a'.repeat(64)}`, 'expected one t=<unix seconds>, found 2'],
    [`t=soon,v1=${'a'.repeat(64)}`, 't=soon is not unix seconds'],
    [`t=${T}`, 'no v1=<signature>'],
    [`t=${T},v1=xyz`, 'v1=xyz is not a hex SHA-256'],
    [`t=${T},v1=${'A'.repeat(64)}`, 'is not a hex SHA-256'],
  ])('refuses the malformed header %j: webhook-signature-malformed', (header, reason) => {
    const refusal = refusalOf(verify(header));
    expect(refusal.code).toBe('webhook-signature-malformed');
    expect(refusal.reason).toContain(reason);
  });

  it('refuses a tampered body: webhook-signature-mismatch', () => {
    const header = webhookSignatureHeader(SECRET, T, body);
    const tampered = body.replace('"amount":1999', '"amount":1');
    expect(tampered).not.toBe(body);
    expect(refusalOf(verify(header, tampered)).code).toBe('webhook-signature-mismatch');
  });

  it('refuses a signature made with another secret, or for another timestamp: webhook-signature-mismatch', () => {
    expect(refusalOf(verify(webhookSignatureHeader('whsec_not_the_secret_0000', T, body))).code).toBe(
      'webhook-signature-mismatch',
    );
    // The signature of T moved onto T-1: the timestamp is signed with the body, so it cannot be swapped.
    expect(refusalOf(verify(`t=${T - 1},v1=${webhookSignature(SECRET, T, body)}`)).code).toBe(
      'webhook-signature-mismatch',
    );
  });

  it('refuses a timestamp older than the tolerance: webhook-timestamp-stale, even when the signature is right', () => {
    const old = T - 301;
    const refusal = refusalOf(verify(webhookSignatureHeader(SECRET, old, body)));
    expect(refusal).toEqual({
      code: 'webhook-timestamp-stale',
      reason: 'signed 301 s ago, more than the 300 s tolerated',
    });
    expect(verify(webhookSignatureHeader(SECRET, T - 300, body)).ok).toBe(true);
    expect(
      refusalOf(verify(webhookSignatureHeader(SECRET, T - 11, body), body, { toleranceSeconds: 10 })).code,
    ).toBe('webhook-timestamp-stale');
  });

  it('refuses a timestamp further ahead than the tolerance: webhook-timestamp-in-future', () => {
    const refusal = refusalOf(verify(webhookSignatureHeader(SECRET, T + 301, body)));
    expect(refusal).toEqual({
      code: 'webhook-timestamp-in-future',
      reason: 'signed 301 s ahead of now, more than the 300 s tolerated',
    });
    expect(verify(webhookSignatureHeader(SECRET, T + 300, body)).ok).toBe(true);
  });

  it('refuses a correctly signed body that is not JSON, or not a payment event: webhook-body-malformed', () => {
    const notJson = 'not json';
    const notJsonRefusal = refusalOf(verify(webhookSignatureHeader(SECRET, T, notJson), notJson));
    expect(notJsonRefusal.code).toBe('webhook-body-malformed');
    expect(notJsonRefusal.reason).toContain('the body is not JSON');

    const unknownType = JSON.stringify({ ...event, type: 'payment.teleported' });
    const typeRefusal = refusalOf(verify(webhookSignatureHeader(SECRET, T, unknownType), unknownType));
    expect(typeRefusal.code).toBe('webhook-body-malformed');
    expect(typeRefusal.reason).toContain('type:');

    const noAmount = JSON.stringify({
      ...event,
      data: { payment: { ...event.data.payment, amount: 19.99 } },
    });
    const amountRefusal = refusalOf(verify(webhookSignatureHeader(SECRET, T, noAmount), noAmount));
    expect(amountRefusal.code).toBe('webhook-body-malformed');
    expect(amountRefusal.reason).toContain('data.payment.amount:');
  });

  it('checks the signature before the body: an unsigned malformed body is a signature refusal, not a parse error', () => {
    expect(refusalOf(verify(`t=${T},v1=${'0'.repeat(64)}`, 'not json')).code).toBe(
      'webhook-signature-mismatch',
    );
  });
});
