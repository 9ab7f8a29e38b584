import type { AccountStore, LoginFailures, RotationOutcome, StoredSigningKey } from './account-store.ts';

interface Family {
  userId: string;
  current: string;
  endsAt: number;
}

/** The embedded AccountStore: one process, so plain maps hold the state and every step is atomic. */
export class MemoryAccountStore implements AccountStore {
  readonly #families = new Map<string, Family>();
  readonly #failures = new Map<string, { count: number; endsAt: number }>();
  readonly #keys = new Map<string, StoredSigningKey>();
  readonly #now: () => number;

  /** `now` drives family and window expiry; the system clock unless a test pins it. */
  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  async startFamily(
    familyId: string,
    family: { userId: string; tokenHash: string },
    ttlMs: number,
  ): Promise<void> {
    this.#families.set(familyId, {
      userId: family.userId,
      current: family.tokenHash,
      endsAt: this.#now() + ttlMs,
    });
  }

  async rotateRefreshToken(
    familyId: string,
    presentedHash: string,
    nextHash: string,
  ): Promise<RotationOutcome> {
    const family = this.#families.get(familyId);
    if (family === undefined || family.endsAt <= this.#now()) {
      this.#families.delete(familyId);
      return { outcome: 'unknown' };
    }
    if (family.current !== presentedHash) {
      this.#families.delete(familyId);
      return { outcome: 'reused', userId: family.userId };
    }
    family.current = nextHash;
    return { outcome: 'rotated', userId: family.userId };
  }

  async revokeFamily(familyId: string): Promise<void> {
    this.#families.delete(familyId);
  }

  async recordLoginFailure(account: string, windowMs: number): Promise<LoginFailures> {
    const now = this.#now();
    const current = this.#failures.get(account);
    const window =
      current === undefined || current.endsAt <= now ? { count: 0, endsAt: now + windowMs } : current;
    window.count += 1;
    this.#failures.set(account, window);
    return { failures: window.count, windowEndsInMs: window.endsAt - now };
  }

  async loginFailures(account: string): Promise<LoginFailures> {
    const now = this.#now();
    const window = this.#failures.get(account);
    if (window === undefined || window.endsAt <= now) return { failures: 0, windowEndsInMs: 0 };
    return { failures: window.count, windowEndsInMs: window.endsAt - now };
  }

  async clearLoginFailures(account: string): Promise<void> {
    this.#failures.delete(account);
  }

  async signingKeys(): Promise<StoredSigningKey[]> {
    return [...this.#keys.values()];
  }

  async saveSigningKey(key: StoredSigningKey): Promise<void> {
    this.#keys.set(key.kid, key);
  }

  async removeSigningKey(kid: string): Promise<void> {
    this.#keys.delete(kid);
  }
}
