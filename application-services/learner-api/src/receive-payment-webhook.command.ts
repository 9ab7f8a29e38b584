import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { PAYMENT_PROVIDER_ACTOR } from '@strata/ordering/contract';
import { verifyWebhook, type WebhookHeaders } from '@strata/payments';
import type { Logger } from '@strata/runtime';
import { RpcError } from '@strata/shared-kernel';
import {
  LEARNER_API_SERVICE,
  LEARNER_LOGGER,
  ORDERING_CLIENT,
  PAYMENT_WEBHOOK_SETTINGS,
  type OrderingClient,
} from './injection-tokens.ts';
import type { WebhookReceiptView } from './learner-api-schemas.ts';
import { paymentEventOf } from './payment-event-of.ts';

/** How deliveries are verified: the secret shared with the provider and the clock skew tolerated. */
export interface PaymentWebhookSettings {
  readonly secret: string;
  readonly toleranceSeconds: number;
}

/** One delivery of the provider's webhook, as received: nothing in it is believed yet. */
export class ReceivePaymentWebhookCommand extends Command<WebhookReceiptView> {
  readonly headers: WebhookHeaders;
  readonly rawBody: Uint8Array;
  readonly correlationId: string;

  constructor(delivery: { headers: WebhookHeaders; rawBody: Uint8Array; correlationId: string }) {
    super();
    this.headers = delivery.headers;
    this.rawBody = delivery.rawBody;
    this.correlationId = delivery.correlationId;
  }
}

/**
 * Believes a delivery only once its signature, timestamp and body check out (`verifyWebhook`),
 * then reports the event to the order's checkout under the payment provider's role, keyed by the
 * provider's event id: a repeated delivery is taken again and changes nothing twice. Every refusal
 * is logged at warn with its code and reason (never the secret, never the signature) and changes
 * nothing: no call reaches commerce-service before the delivery is verified.
 */
@CommandHandler(ReceivePaymentWebhookCommand)
export class ReceivePaymentWebhookHandler implements ICommandHandler<ReceivePaymentWebhookCommand> {
  readonly #ordering: OrderingClient;
  readonly #settings: PaymentWebhookSettings;
  readonly #logger: Logger;

  constructor(
    @Inject(ORDERING_CLIENT) ordering: OrderingClient,
    @Inject(PAYMENT_WEBHOOK_SETTINGS) settings: PaymentWebhookSettings,
    @Inject(LEARNER_LOGGER) logger: Logger,
  ) {
    this.#ordering = ordering;
    this.#settings = settings;
    this.#logger = logger;
  }

  async execute(delivery: ReceivePaymentWebhookCommand): Promise<WebhookReceiptView> {
    const refuse = (error: RpcError, fields: Record<string, unknown> = {}): never => {
      this.#logger.warn(
        { requestId: delivery.correlationId, code: error.reason, reason: error.message, ...fields },
        `payment webhook refused: ${error.reason}`,
      );
      throw error;
    };
    const verified = verifyWebhook({
      headers: delivery.headers,
      rawBody: delivery.rawBody,
      secret: this.#settings.secret,
      toleranceSeconds: this.#settings.toleranceSeconds,
    });
    if (!verified.ok) {
      const { code, reason } = verified.refusal;
      return refuse(new RpcError('INVALID_ARGUMENT', reason, { reason: code }));
    }
    const translated = paymentEventOf(verified.event);
    const eventId = verified.event.id;
    if (!translated.ok) {
      return refuse(
        translated.problem === 'reference-unknown'
          ? new RpcError('NOT_FOUND', translated.reason, { reason: 'payment-order-unknown' })
          : new RpcError('INVALID_ARGUMENT', translated.reason, { reason: 'webhook-body-malformed' }),
        { eventId },
      );
    }
    const { orderId, event } = translated;
    try {
      await this.#ordering.Checkout.reportPaymentEvent(orderId, event, {
        caller: {
          service: LEARNER_API_SERVICE,
          userId: PAYMENT_PROVIDER_ACTOR.userId,
          roles: [...PAYMENT_PROVIDER_ACTOR.roles],
        },
        correlationId: delivery.correlationId,
        idempotencyKey: event.eventId,
      });
    } catch (error) {
      // No checkout for the reference: a payment for an order that is not ours (or not yet known).
      if (error instanceof RpcError && error.code === 'NOT_FOUND') {
        return refuse(
          new RpcError('NOT_FOUND', `no checkout for order ${orderId}: ${error.message}`, {
            reason: 'payment-order-unknown',
          }),
          { eventId, orderId },
        );
      }
      throw error;
    }
    this.#logger.info(
      { requestId: delivery.correlationId, eventId, orderId, kind: event.kind },
      'payment webhook taken',
    );
    return { received: true, eventId, orderId };
  }
}
