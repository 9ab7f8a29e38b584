import { Body, Controller, Headers, HttpCode, Inject, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { RequestId } from '@strata/runtime';
import type { IncomingHttpHeaders } from 'node:http';
import type { WebhookReceiptView } from './learner-api-schemas.ts';
import { ReceivePaymentWebhookCommand } from './receive-payment-webhook.command.ts';

/** The route whose body reaches the handler as the bytes received (createHttpApp's `rawBodyRoutes`). */
export const PAYMENT_WEBHOOK_ROUTE = '/payments/webhook';

/**
 * The payment provider's webhook. No login: the provider is no user, and the gateway route is
 * public; the signature over the raw body is the authentication. 200 when the event is taken (a
 * duplicate too, so the provider stops retrying), 400 with the verifier's code when the delivery
 * cannot be believed, 404 when its payment is for no order of ours.
 */
@Controller('payments')
export class PaymentWebhookController {
  readonly #commands: CommandBus;

  constructor(@Inject(CommandBus) commands: CommandBus) {
    this.#commands = commands;
  }

  @Post('webhook')
  @HttpCode(200)
  receive(
    @Headers() headers: IncomingHttpHeaders,
    @Body() body: unknown,
    @RequestId() correlationId: string,
  ): Promise<WebhookReceiptView> {
    // Without a JSON body Fastify hands over nothing; the verifier then refuses the empty bytes.
    const rawBody = body instanceof Uint8Array ? body : new Uint8Array();
    return this.#commands.execute(new ReceivePaymentWebhookCommand({ headers, rawBody, correlationId }));
  }
}
