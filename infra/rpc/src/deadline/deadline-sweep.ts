import { MAX_TIMER_MS } from './deadline.ts';

/**
 * One Node timer for all the deadlines of one owner (a connection), instead of a setTimeout and a
 * clearTimeout per call. The owner says when a call with a deadline starts (`watch`); the timer
 * is armed for the earliest deadline it has been told of, and when it fires the owner's `expire`
 * answers every call whose deadline has passed and returns the earliest deadline still pending.
 *
 * Calls that finish in time cost nothing here: with one timeout for every call, each new deadline
 * is later than the armed one, so the timer fires about once per timeout, and `expire` walks the
 * few calls in flight. A per-call timer cost ~0.5–1 µs (allocation, list insert, removal) on the
 * bench's client, most of it garbage.
 */
export class DeadlineSweep {
  readonly #expire: (now: number) => number | undefined;
  #timer: NodeJS.Timeout | undefined;
  /** The deadline the timer is armed for, in epoch milliseconds. */
  #armedFor = Infinity;

  /** `expire(now)` answers the calls due by `now` and returns the earliest deadline left, if any. */
  constructor(expire: (now: number) => number | undefined) {
    this.#expire = expire;
  }

  /** A call with this deadline (epoch ms) is now pending. */
  watch(deadline: number): void {
    if (deadline >= this.#armedFor) return;
    this.#arm(deadline);
  }

  /** Nothing is pending any more: the timer goes. */
  stop(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#armedFor = Infinity;
  }

  #arm(deadline: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#armedFor = deadline;
    this.#timer = setTimeout(() => this.#fire(), Math.min(Math.max(deadline - Date.now(), 0), MAX_TIMER_MS));
    // The calls' owner (an open socket) keeps the process alive, not the deadline.
    this.#timer.unref();
  }

  #fire(): void {
    this.#timer = undefined;
    this.#armedFor = Infinity;
    const next = this.#expire(Date.now());
    if (next !== undefined) this.#arm(next);
  }
}
