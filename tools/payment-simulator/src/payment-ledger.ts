import { randomUUID } from 'node:crypto';
import type { Payment, PaymentEvent, PaymentEventType, PaymentRequest } from './payment.ts';
import { SimulatorRefusal } from './simulator-refusal.ts';

interface Remembered {
  /** The request the key was first used with, as canonical JSON. */
  fingerprint: string;
  paymentId: string;
}

const seconds = (): number => Math.floor(Date.now() / 1000);
const idOf = (prefix: string): string => `${prefix}_${randomUUID().replaceAll('-', '')}`;

/**
 * Every payment and refund of one simulator process, in memory (a simulator forgets on restart).
 * Each state change returns the event it causes, for the webhook sender; repeating a change that
 * already happened returns no event, so one outcome is announced once (deliveries may repeat it).
 */
export class PaymentLedger {
  readonly #payments = new Map<string, Payment>();
  readonly #paymentKeys = new Map<string, Remembered>();
  readonly #refundKeys = new Map<string, Remembered>();
  readonly #pageUrl: (id: string) => string;

  constructor(pageUrl: (id: string) => string) {
    this.#pageUrl = pageUrl;
  }

  /** A new pending payment, or the one this key already made for the same request. */
  create(request: PaymentRequest, idempotencyKey: string): { payment: Payment; replayed: boolean } {
    const fingerprint = JSON.stringify([
      request.amount,
      request.currency,
      request.reference,
      request.returnUrl ?? null,
    ]);
    const known = this.#paymentKeys.get(idempotencyKey);
    if (known !== undefined) {
      this.#refuseReuse(known, fingerprint, idempotencyKey);
      return { payment: this.get(known.paymentId), replayed: true };
    }
    const id = idOf('pay');
    const payment: Payment = {
      id,
      status: 'pending',
      amount: request.amount,
      currency: request.currency,
      reference: request.reference,
      returnUrl: request.returnUrl ?? null,
      paymentPageUrl: this.#pageUrl(id),
      created: seconds(),
      refund: null,
    };
    this.#payments.set(id, payment);
    this.#paymentKeys.set(idempotencyKey, { fingerprint, paymentId: id });
    return { payment: structuredClone(payment), replayed: false };
  }

  get(id: string): Payment {
    const payment = this.#payments.get(id);
    if (payment === undefined) {
      throw new SimulatorRefusal(404, 'payment-not-found', `no payment ${id}`, { paymentId: id });
    }
    return structuredClone(payment);
  }

  /** The payer's answer on the payment page (or a test standing in for the payer). */
  decide(id: string, outcome: 'succeeded' | 'failed'): { payment: Payment; event: PaymentEvent | null } {
    const payment = this.#payments.get(id);
    if (payment === undefined) return { payment: this.get(id), event: null };
    if (payment.status === outcome) return { payment: structuredClone(payment), event: null };
    if (payment.status !== 'pending') {
      throw new SimulatorRefusal(
        409,
        'payment-not-pending',
        `payment ${id} is ${payment.status}; only a pending payment can be ${outcome === 'succeeded' ? 'approved' : 'declined'}`,
        { paymentId: id, status: payment.status },
      );
    }
    payment.status = outcome;
    return {
      payment: structuredClone(payment),
      event: this.#event(outcome === 'succeeded' ? 'payment.succeeded' : 'payment.failed', payment),
    };
  }

  /** Starts a full refund of a succeeded payment; `completeRefund` finishes it, as a bank would later. */
  refund(id: string, idempotencyKey: string): { payment: Payment; replayed: boolean } {
    const fingerprint = JSON.stringify([id]);
    const known = this.#refundKeys.get(idempotencyKey);
    if (known !== undefined) {
      this.#refuseReuse(known, fingerprint, idempotencyKey);
      return { payment: this.get(id), replayed: true };
    }
    const payment = this.#payments.get(id);
    if (payment === undefined) return { payment: this.get(id), replayed: false };
    if (payment.refund !== null) {
      throw new SimulatorRefusal(
        409,
        'payment-already-refunded',
        `payment ${id} already has refund ${payment.refund.id}`,
        {
          paymentId: id,
          refundId: payment.refund.id,
        },
      );
    }
    if (payment.status !== 'succeeded') {
      throw new SimulatorRefusal(
        409,
        'payment-not-refundable',
        `payment ${id} is ${payment.status}; only a succeeded payment can be refunded`,
        { paymentId: id, status: payment.status },
      );
    }
    payment.refund = {
      id: idOf('re'),
      status: 'pending',
      amount: payment.amount,
      currency: payment.currency,
      created: seconds(),
    };
    this.#refundKeys.set(idempotencyKey, { fingerprint, paymentId: id });
    return { payment: structuredClone(payment), replayed: false };
  }

  completeRefund(id: string): PaymentEvent | null {
    const payment = this.#payments.get(id);
    if (payment?.refund?.status !== 'pending') return null;
    payment.refund.status = 'succeeded';
    payment.status = 'refunded';
    return this.#event('refund.succeeded', payment);
  }

  #refuseReuse(known: Remembered, fingerprint: string, key: string): void {
    if (known.fingerprint === fingerprint) return;
    throw new SimulatorRefusal(
      422,
      'idempotency-key-reused',
      `Idempotency-Key ${JSON.stringify(key)} was used with a different request (for ${known.paymentId})`,
      { idempotencyKey: key, paymentId: known.paymentId },
    );
  }

  #event(type: PaymentEventType, payment: Payment): PaymentEvent {
    return { id: idOf('evt'), type, created: seconds(), data: { payment: structuredClone(payment) } };
  }
}
