import type { z } from '@strata/shared-kernel';
import { PaymentProviderError } from './payment-provider-error.ts';
import type { PaymentProvider, ProviderPayment, ProviderRefund } from './payment-provider.ts';
import { providerPaymentSchema, type ProviderPaymentBody } from './provider-payment-schema.ts';

/** The provider's view of a payment in the merchant's words. */
export function toProviderPayment(body: ProviderPaymentBody): ProviderPayment {
  return {
    paymentId: body.id,
    orderId: body.reference,
    status: body.status,
    amount: { amount: body.amount, currency: body.currency },
    paymentPageUrl: body.paymentPageUrl,
    refund:
      body.refund === null
        ? null
        : {
            refundId: body.refund.id,
            status: body.refund.status,
            amount: { amount: body.refund.amount, currency: body.refund.currency },
          },
  };
}

/**
 * `PaymentProvider` over the payment simulator's HTTP API (tools/payment-simulator). Each call has
 * a deadline; a provider that is down, slow, or answers 5xx/408/429 gives a retryable error, any
 * other 4xx a final one carrying the provider's problem code.
 */
export class SimulatorPaymentProvider implements PaymentProvider {
  readonly #baseUrl: string;
  readonly #timeoutMs: number;

  constructor(options: { baseUrl: string; timeoutMs?: number }) {
    this.#baseUrl = options.baseUrl.replace(/\/$/, '');
    this.#timeoutMs = options.timeoutMs ?? 5_000;
  }

  async createPayment(request: Parameters<PaymentProvider['createPayment']>[0]) {
    const { amount, orderId, idempotencyKey, returnUrl } = request;
    const body = await this.#call('POST', '/v1/payments', providerPaymentSchema, {
      idempotencyKey,
      body: {
        amount: amount.amount,
        currency: amount.currency,
        reference: orderId,
        ...(returnUrl === undefined ? {} : { returnUrl }),
      },
    });
    return { paymentId: body!.id, paymentPageUrl: body!.paymentPageUrl };
  }

  async refund(request: { paymentId: string; idempotencyKey: string }): Promise<ProviderRefund> {
    const path = `/v1/payments/${encodeURIComponent(request.paymentId)}/refunds`;
    const body = await this.#call('POST', path, providerPaymentSchema, {
      idempotencyKey: request.idempotencyKey,
    });
    const refund = toProviderPayment(body!).refund;
    if (refund === null) {
      throw new PaymentProviderError(
        'payment-provider-answer-invalid',
        `refunding ${request.paymentId}: the answer has no refund`,
      );
    }
    return refund;
  }

  async getPayment(paymentId: string): Promise<ProviderPayment | null> {
    const path = `/v1/payments/${encodeURIComponent(paymentId)}`;
    const body = await this.#call('GET', path, providerPaymentSchema, { notFoundIsNull: true });
    return body === null ? null : toProviderPayment(body);
  }

  async #call<TSchema extends z.ZodType>(
    method: 'GET' | 'POST',
    path: string,
    schema: TSchema,
    options: { idempotencyKey?: string; body?: unknown; notFoundIsNull?: boolean },
  ): Promise<z.output<TSchema> | null> {
    const what = `${method} ${path}`;
    let response: Response;
    try {
      response = await fetch(`${this.#baseUrl}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(options.idempotencyKey === undefined ? {} : { 'idempotency-key': options.idempotencyKey }),
        },
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      const reason =
        (error as Error).name === 'TimeoutError'
          ? `no answer within ${this.#timeoutMs} ms`
          : `unreachable: ${(error as Error).message}${(error as Error).cause ? ` (${String((error as Error).cause)})` : ''}`;
      throw new PaymentProviderError(
        'payment-provider-unavailable',
        `${what} at ${this.#baseUrl}: ${reason}`,
        { cause: error },
      );
    }
    const text = await response.text().catch(() => '');
    if (response.status === 404 && options.notFoundIsNull) return null;
    if (!response.ok) throw this.#failure(what, response.status, text);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new PaymentProviderError(
        'payment-provider-answer-invalid',
        `${what}: answered ${response.status} with no JSON body`,
        {
          status: response.status,
        },
      );
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues
        .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
        .join('; ');
      throw new PaymentProviderError(
        'payment-provider-answer-invalid',
        `${what}: unexpected answer (${issues})`,
        {
          status: response.status,
        },
      );
    }
    return parsed.data;
  }

  #failure(what: string, status: number, text: string): PaymentProviderError {
    let problem: { code?: unknown; detail?: unknown } = {};
    try {
      problem = JSON.parse(text) as typeof problem;
    } catch {
      // Not a problem document (a proxy's HTML page, say): the status alone says what happened.
    }
    const providerCode = typeof problem.code === 'string' ? problem.code : undefined;
    const detail = typeof problem.detail === 'string' ? problem.detail : text.slice(0, 200);
    const retryable = status >= 500 || status === 408 || status === 429;
    return new PaymentProviderError(
      retryable ? 'payment-provider-unavailable' : 'payment-provider-refused',
      `${what}: the provider answered ${status}${providerCode === undefined ? '' : ` ${providerCode}`}: ${detail}`,
      { status, ...(providerCode === undefined ? {} : { providerCode }) },
    );
  }
}
