import { CHECKOUT_ACTOR, type CheckoutCommand, type CheckoutInput } from '@strata/ordering';
import type { orderingContract } from '@strata/ordering/contract';
import { isPaymentProviderError, type PaymentProvider } from '@strata/payments';
import type { ContractClient, RuntimeLogger } from '@strata/rpc';
import { RpcError } from '@strata/shared-kernel';

/** The Order's refusals of a payment that mean it will never take it: the checkout refunds it. */
const PAYMENT_REFUSALS = new Set([
  'order-cannot-be-paid-once-closed',
  'order-cannot-be-paid-twice',
  'payment-must-match-the-order-total',
]);

/** Failures that say nothing about the request itself: the same command may succeed later. */
const TRANSIENT_CODES = new Set(['UNAVAILABLE', 'DEADLINE_EXCEEDED', 'RESOURCE_EXHAUSTED']);
const TRANSIENT_REASONS = new Set(['aggregate-version-conflict', 'concurrent-change']);

/** Which command of which checkout is carried out: for the idempotency key and the logs. */
export interface CommandOrigin {
  readonly orderId: string;
  readonly seq: number;
  readonly step: string;
}

/**
 * Carries out one checkout command and answers the reply the checkout hears with it (`settle`):
 * the provider's for payments and refunds, the Order's own methods for the rest. Those go through
 * the service's own contract handler in-process, as the checkout (CHECKOUT_ACTOR), so the contract
 * runtime validates them, the Order's rules decide and its events reach the outbox as for any
 * caller. Success on the Order answers no reply: the checkout hears the Order's event instead.
 *
 * Nothing is thrown for a refusal or an outage: it becomes `CommandFailed`, and the checkout itself
 * decides when to send the command again (its retry time, then its timer).
 */
export class CheckoutCommandExecution {
  readonly #provider: PaymentProvider;
  readonly #orders: ContractClient<typeof orderingContract>['Order'];
  readonly #logger: RuntimeLogger;

  constructor(options: {
    provider: PaymentProvider;
    ordering: ContractClient<typeof orderingContract>;
    logger: RuntimeLogger;
  }) {
    this.#provider = options.provider;
    this.#orders = options.ordering.Order;
    this.#logger = options.logger;
  }

  async execute(command: CheckoutCommand, origin: CommandOrigin): Promise<CheckoutInput | null> {
    try {
      return await this.#send(command, origin);
    } catch (error) {
      return this.#failure(command, origin, error);
    }
  }

  async #send(command: CheckoutCommand, origin: CommandOrigin): Promise<CheckoutInput | null> {
    const { orderId } = command;
    const asCheckout = {
      caller: { userId: CHECKOUT_ACTOR.userId, roles: [...CHECKOUT_ACTOR.roles] },
      idempotencyKey: `checkout.${orderId}.${origin.seq}`,
    };
    switch (command.type) {
      case 'RequestPayment': {
        const payment = await this.#provider.createPayment({
          orderId,
          amount: command.amount,
          idempotencyKey: command.idempotencyKey,
        });
        return { type: 'PaymentRequested', ...payment };
      }
      case 'ConfirmOrderPayment':
        try {
          await this.#orders.confirmPayment(
            orderId,
            { paymentId: command.paymentId, amount: command.amount, paidAt: command.paidAt },
            asCheckout,
          );
          return null;
        } catch (error) {
          if (!(error instanceof RpcError) || !PAYMENT_REFUSALS.has(error.reason ?? '')) throw error;
          const order = await this.#orders.get(orderId, { caller: asCheckout.caller });
          return { type: 'OrderRefusedPayment', paymentId: command.paymentId, orderStatus: order.status };
        }
      case 'RecordPaymentFailure':
        await this.#orders.recordPaymentFailure(orderId, { reason: command.reason }, asCheckout);
        return null;
      case 'ExpireOrder':
        await this.#orders.expire(orderId, {}, asCheckout);
        return null;
      case 'RequestOrderRefund':
        await this.#orders.requestRefund(orderId, { reason: 'enrollment-impossible' }, asCheckout);
        return null;
      case 'RefundPayment':
        // The provider's refund.succeeded webhook is what the checkout waits for.
        await this.#provider.refund({ paymentId: command.paymentId, idempotencyKey: command.idempotencyKey });
        return null;
      case 'ConfirmOrderRefund':
        await this.#orders.confirmRefund(
          orderId,
          { refundId: command.refundId, refundedAt: command.refundedAt },
          asCheckout,
        );
        return null;
    }
  }

  #failure(command: CheckoutCommand, origin: CommandOrigin, error: unknown): CheckoutInput {
    const message = error instanceof Error ? error.message : String(error);
    if (!isTransient(error)) {
      // A refusal nobody mapped: the checkout keeps it as its last error and retries on its own
      // schedule, and an operator reads why here and in findUnfinished.
      this.#logger.warn(
        { err: error, orderId: origin.orderId, step: origin.step, command: command.type, seq: origin.seq },
        `checkout ${origin.orderId}: ${command.type} was refused: ${message}`,
      );
    }
    return {
      type: 'CommandFailed',
      command: command.type,
      attempt: command.attempt,
      ...('paymentId' in command ? { paymentId: command.paymentId } : {}),
      error: `${command.type}: ${message}`.slice(0, 2_000),
    };
  }
}

function isTransient(error: unknown): boolean {
  if (isPaymentProviderError(error)) return error.retryable;
  if (error instanceof RpcError) {
    return TRANSIENT_CODES.has(error.code) || TRANSIENT_REASONS.has(error.reason ?? '');
  }
  return false;
}
