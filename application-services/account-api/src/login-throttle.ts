import { createHash } from 'node:crypto';
import { RpcError } from '@strata/shared-kernel';
import type { AccountStore } from './account-store.ts';

export interface LockoutPolicy {
  /** Failed logins an account may have in one window before logins are refused. */
  maxFailures: number;
  windowMs: number;
}

/**
 * Locks an email address out after too many failed logins. Counted per email address, whether
 * or not an account has it, so the answers for an unknown email and a wrong password stay the
 * same. The trade-off: anyone can lock someone's login for one window by failing on purpose;
 * per-client limits at the gateway keep that from scaling.
 */
export class LoginThrottle {
  readonly #store: AccountStore;
  readonly #policy: LockoutPolicy;

  constructor(store: AccountStore, policy: LockoutPolicy) {
    this.#store = store;
    this.#policy = policy;
  }

  async assertAllowed(email: string): Promise<void> {
    const { failures, windowEndsInMs } = await this.#store.loginFailures(accountKey(email));
    if (failures >= this.#policy.maxFailures) {
      throw new RpcError('RATE_LIMITED', 'too many failed logins for this account; try again later', {
        reason: 'login-locked-out',
        details: { retryAfterMs: windowEndsInMs },
      });
    }
  }

  async failed(email: string): Promise<void> {
    await this.#store.recordLoginFailure(accountKey(email), this.#policy.windowMs);
  }

  async succeeded(email: string): Promise<void> {
    await this.#store.clearLoginFailures(accountKey(email));
  }
}

// Hashed so the store (and whoever reads Redis) holds no list of addresses people tried.
function accountKey(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('base64url');
}
