import type { Logger } from 'pino';
import type { PaymentEvent } from './payment.ts';
import { SIGNATURE_HEADER, signatureHeader } from './webhook-signature.ts';

type Copy = 'first' | 'duplicate';

export interface WebhookSenderOptions {
  /** Where events go until `pointAt` says otherwise; none: events are logged, not sent. */
  url: string | undefined;
  secret: string;
  attempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  timeoutMs: number;
  /** Deliver every event twice, the copy after the payment's next event was delivered (or after `chaosHoldMs`). */
  chaos: boolean;
  chaosHoldMs: number;
  logger: Logger;
}

/**
 * Delivers events to the merchant: signed, one POST per attempt, retried with exponential backoff
 * until a 2xx or the attempts run out. Each delivery is signed when it is sent, so a retry carries
 * a fresh timestamp. Deliveries of different events run independently: nothing orders them.
 */
export class WebhookSender {
  readonly #options: WebhookSenderOptions;
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #inFlight = new Set<AbortController>();
  /** Chaos: the held-back copy of a payment's latest event, released by its next event. */
  readonly #heldBack = new Map<string, () => void>();
  #url: string | undefined;
  #stopped = false;

  constructor(options: WebhookSenderOptions) {
    this.#options = options;
    this.#url = options.url;
  }

  get url(): string | undefined {
    return this.#url;
  }

  /** Sends from now on (retries included) to `url`, as a provider's dashboard changes the endpoint. */
  pointAt(url: string): void {
    this.#url = url;
  }

  send(event: PaymentEvent): void {
    const { chaos, logger } = this.#options;
    if (this.#url === undefined) {
      logger.warn(
        { event: event.id, type: event.type },
        `no webhook endpoint (PAYMENT_SIMULATOR_WEBHOOK_URL, or PUT /v1/webhook-endpoint): ${event.type} ${event.id} not sent`,
      );
      return;
    }
    const paymentId = event.data.payment.id;
    // Chaos: the copy of the payment's previous event goes once this newer event has been delivered,
    // so it arrives after it: out of order, and a duplicate.
    const previous = this.#heldBack.get(paymentId);
    this.#deliver(event, 1, 'first', previous);
    if (!chaos) return;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      clearTimeout(timer);
      this.#timers.delete(timer);
      if (this.#heldBack.get(paymentId) === release) this.#heldBack.delete(paymentId);
      this.#deliver(event, 1, 'duplicate');
    };
    // A payment's last event has no successor to wait for: its copy goes after the hold.
    const timer = this.#later(release, this.#options.chaosHoldMs);
    this.#heldBack.set(paymentId, release);
  }

  /** Stops retries and held-back copies, and aborts deliveries in flight; returns how many were dropped. */
  stop(): number {
    this.#stopped = true;
    const dropped = this.#timers.size + this.#inFlight.size;
    for (const timer of this.#timers) clearTimeout(timer);
    for (const controller of this.#inFlight) controller.abort();
    this.#timers.clear();
    this.#heldBack.clear();
    return dropped;
  }

  #deliver(event: PaymentEvent, attempt: number, copy: Copy, onDelivered?: () => void): void {
    if (this.#stopped) return;
    void this.#attempt(event, attempt, copy, onDelivered);
  }

  async #attempt(event: PaymentEvent, attempt: number, copy: Copy, onDelivered?: () => void): Promise<void> {
    const { secret, attempts, timeoutMs, logger } = this.#options;
    const body = JSON.stringify(event);
    const controller = new AbortController();
    this.#inFlight.add(controller);
    const context = { event: event.id, type: event.type, payment: event.data.payment.id, attempt, copy };
    let outcome: string;
    try {
      const response = await fetch(this.#url!, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: signatureHeader(secret, Math.floor(Date.now() / 1000), body),
        },
        body,
        signal: AbortSignal.any([controller.signal, AbortSignal.timeout(timeoutMs)]),
      });
      // The answer's body is not read; cancelling it frees the connection.
      await response.body?.cancel();
      if (response.ok) {
        logger.info(
          { ...context, status: response.status },
          `webhook ${event.type} ${event.id} delivered on attempt ${attempt}`,
        );
        onDelivered?.();
        return;
      }
      outcome = `answered ${response.status}`;
    } catch (error) {
      if (this.#stopped) return;
      outcome = `failed: ${(error as Error).message}${(error as Error).cause ? ` (${String((error as Error).cause)})` : ''}`;
    } finally {
      this.#inFlight.delete(controller);
    }
    if (this.#stopped) return;
    if (attempt >= attempts) {
      logger.error(
        { ...context, outcome },
        `webhook ${event.type} ${event.id} ${outcome} on attempt ${attempt}; giving up after ${attempts} attempts`,
      );
      return;
    }
    const delay = this.#backoff(attempt);
    logger.warn(
      { ...context, outcome, retryInMs: delay },
      `webhook ${event.type} ${event.id} ${outcome} on attempt ${attempt}; retrying in ${delay} ms`,
    );
    this.#later(() => this.#deliver(event, attempt + 1, copy, onDelivered), delay);
  }

  /** Doubles from the base per attempt, capped, with up to 10% jitter so retries of many events spread out. */
  #backoff(attempt: number): number {
    const { retryBaseMs, retryMaxMs } = this.#options;
    const exponential = Math.min(retryMaxMs, retryBaseMs * 2 ** (attempt - 1));
    return Math.round(exponential * (1 + Math.random() * 0.1));
  }

  #later(run: () => void, ms: number): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      run();
    }, ms);
    this.#timers.add(timer);
    return timer;
  }
}
