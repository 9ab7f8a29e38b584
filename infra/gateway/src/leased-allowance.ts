import type { RateLimitDecision, RateLimitPolicy } from './rate-limiter.ts';

/** How long a gateway may hold cells Redis granted ahead of its requests before giving them back. */
export const LEASE_TTL_MS = 1_000;

/** The most cells one lease takes, however generous the policy. */
export const MAX_LEASE = 1_000;

/**
 * The largest lease a policy allows: the cells it emits in LEASE_TTL_MS. A policy that emits fewer
 * than two in that time is never leased, so small limits (a login's 30 a minute) stay exact.
 */
export function leaseCap(policy: RateLimitPolicy): number {
  const cap = Math.min(MAX_LEASE, Math.floor((policy.limit * LEASE_TTL_MS) / policy.periodMs));
  return cap >= 2 ? cap : 0;
}

/**
 * A busy key's cells that Redis's GCRA granted to this gateway ahead of its requests, spent here
 * without a round trip (ADR 0060). Every cell is one Redis granted, so a caller never gets more
 * than the policy allows except by spending a cell up to 2 × LEASE_TTL_MS after its grant (the
 * refill extends the held cells' time): at most the cells the policy emits in 2 s beyond its
 * limit in any period. The held cells are invisible to the other gateways, which may refuse the
 * caller meanwhile: at most 1.25 × the lease per gateway, never longer than LEASE_TTL_MS, and
 * cells that lapse unspent are given back to Redis with the key's next call.
 *
 * A lease starts at 2 cells and doubles while leases are spent before they lapse, up to
 * `leaseCap`; a lapse halves it, and at 0 the key is cold again and decided by Redis per request.
 */
export class Allowance {
  readonly cap: number;
  #size = 2;
  /** A call carrying this key's next lease is on its way. */
  #renewing = false;
  #cells = 0;
  #expiresAt = 0;
  #grantedAt = 0;
  /** Redis's figures when the cells were granted: remaining after them, TAT − now, interval. */
  #remaining = 0;
  #resetMs = 0;
  #interval = 0;

  constructor(cap: number) {
    this.cap = cap;
  }

  /** Cells the next call asks for beyond the requests waiting in it. */
  get size(): number {
    return this.#size;
  }

  /** One held cell, decided here; undefined when there is none to spend. */
  spend(now: number, limit: number): RateLimitDecision | undefined {
    if (this.#cells === 0 || now >= this.#expiresAt) return undefined;
    this.#cells -= 1;
    const held = this.#cells;
    return {
      allowed: true,
      limit,
      // The held cells are the caller's to spend, so they count as remaining.
      remaining: this.#remaining + held,
      resetMs: Math.max(0, this.#resetMs - (now - this.#grantedAt) - held * this.#interval),
      retryAfterMs: 0,
    };
  }

  /** A quarter of a lease left: time to ask for the next, before requests have to wait. */
  get low(): boolean {
    return !this.#renewing && this.#cells <= this.#size >> 2;
  }

  /**
   * The key's next call is leaving: it gives back what lapsed and asks for the next lease, none
   * when lapses have halved the lease to nothing (the key is cold).
   */
  renew(now: number): { returned: number; leased: number } {
    const returned = this.takeLapsed(now);
    this.#renewing = this.#size > 0;
    return { returned, leased: this.#size };
  }

  /** The renewing call failed: the next request that finds the cells low asks again. */
  renewalFailed(): void {
    this.#renewing = false;
  }

  /** Cells held past their time, taken out to be given back; the next lease is halved. */
  takeLapsed(now: number): number {
    if (this.#cells === 0 || now < this.#expiresAt) return 0;
    const lapsed = this.#cells;
    this.#cells = 0;
    this.#size >>= 1;
    return lapsed;
  }

  /**
   * The call's answer: `cells` granted beyond its waiting requests. A lease that came back whole
   * while the last one was already spent means the key is busier than its lease: double it.
   */
  grant(cells: number, remaining: number, resetMs: number, interval: number, now: number): void {
    if (cells === this.#size && this.#cells === 0) this.#size = Math.min(this.cap, this.#size * 2);
    this.#renewing = false;
    this.#cells += cells;
    this.#expiresAt = now + LEASE_TTL_MS;
    this.#grantedAt = now;
    this.#remaining = remaining;
    this.#resetMs = resetMs;
    this.#interval = interval;
  }
}
