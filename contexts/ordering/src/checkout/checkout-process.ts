import { AggregateRoot, checkRule, z, type Actor } from '@strata/shared-kernel';
import type { OrderPlaced } from '../domain/order-events.ts';
import { decideCheckout, startCheckout } from './checkout.ts';
import {
  CheckoutCommandSchema,
  type CheckoutCommand,
  type CheckoutDecision,
  type CheckoutInput,
} from './checkout-messages.ts';
import { CHECKOUT_OUTCOMES, CheckoutStateSchema, type CheckoutState } from './checkout-state.ts';
import { checkoutInputOf, type PaymentEvent } from './payment-event.ts';
import { onlyThePaymentProviderMayReportPaymentEvents } from './payment-provider-role.ts';

/** A command the checkout decided to send and that is not settled yet; `seq` numbers it within the checkout. */
export const OutgoingCommandSchema = z.object({
  seq: z.number().int().min(1),
  command: CheckoutCommandSchema,
  issuedAt: z.iso.datetime(),
});

export type OutgoingCommand = z.output<typeof OutgoingCommandSchema>;

/**
 * Everything a stored checkout is: its state, the commands it still has to send (its own outbox,
 * saved in the same row and so in the same transaction as the decision that made them) and how
 * many it has issued so far.
 */
export const CheckoutSnapshotSchema = z.object({
  state: CheckoutStateSchema,
  outgoing: z.array(OutgoingCommandSchema),
  issued: z.number().int().min(0),
});

export type CheckoutSnapshot = z.output<typeof CheckoutSnapshotSchema>;

/**
 * One order's checkout as an aggregate: the saga instance. Its decisions are `decideCheckout`'s;
 * what it adds is durability. Each decision's commands join `outgoing` in the same save as the new
 * state, and a command leaves `outgoing` only when its outcome is heard (`settle`), in the same
 * save as what that outcome changes. A crash anywhere leaves either the old state with nothing to
 * send, or the new one with its commands still to send: never a state without its commands.
 */
export class Checkout extends AggregateRoot {
  /** The checkout's id is its order's. */
  declare readonly id: string;
  #snapshot: CheckoutSnapshot;

  private constructor(snapshot: CheckoutSnapshot, version: number) {
    super(version);
    this.id = snapshot.state.orderId;
    this.#snapshot = snapshot;
  }

  get aggregateType(): 'Checkout' {
    return 'Checkout';
  }

  /** A newly placed order's checkout, which first asks the provider for a payment. */
  static start(placed: OrderPlaced, now: Date): Checkout {
    const decision = startCheckout(placed, now);
    const checkout = new Checkout({ state: decision.checkout, outgoing: [], issued: 0 }, 0);
    checkout.#take(decision, now);
    return checkout;
  }

  static restore(snapshot: CheckoutSnapshot, version: number): Checkout {
    return new Checkout(CheckoutSnapshotSchema.parse(snapshot), version);
  }

  snapshot(): CheckoutSnapshot {
    return structuredClone(this.#snapshot);
  }

  get state(): CheckoutState {
    return this.#snapshot.state;
  }

  get outgoing(): readonly OutgoingCommand[] {
    return this.#snapshot.outgoing;
  }

  get isFinished(): boolean {
    return CHECKOUT_OUTCOMES.includes(this.#snapshot.state.step) && this.#snapshot.outgoing.length === 0;
  }

  /** Hears one input (an order event, the timer); an input heard before changes nothing. */
  hear(input: CheckoutInput, now: Date): void {
    this.#take(decideCheckout(this.#snapshot.state, input, now), now);
  }

  /** The provider's word on a payment, from a verified webhook. */
  hearPaymentEvent(event: PaymentEvent, actor: Actor, now: Date): void {
    checkRule(onlyThePaymentProviderMayReportPaymentEvents(actor));
    const input = checkoutInputOf(event);
    if (input !== null) this.hear(input, now);
  }

  /**
   * Command `seq` was carried out: it leaves the outbox, and its reply, if it has one (the payment
   * the provider created, a refusal, a failure), is heard in the same save. False when it had
   * already been settled: a repeated settlement changes nothing.
   */
  settle(seq: number, reply: CheckoutInput | null, now: Date): boolean {
    if (!this.#snapshot.outgoing.some((outgoing) => outgoing.seq === seq)) return false;
    this.#snapshot = {
      ...this.#snapshot,
      outgoing: this.#snapshot.outgoing.filter((outgoing) => outgoing.seq !== seq),
    };
    if (reply !== null) this.hear(reply, now);
    return true;
  }

  #take(decision: CheckoutDecision, now: Date): void {
    let { issued } = this.#snapshot;
    const issuedAt = now.toISOString();
    const added = decision.commands.map((command: CheckoutCommand) => ({
      seq: ++issued,
      command,
      issuedAt,
    }));
    this.#snapshot = {
      state: decision.checkout,
      outgoing: [...this.#snapshot.outgoing, ...added],
      issued,
    };
  }
}
