/**
 * What account-api remembers between requests: refresh-token families, failed-login counters and
 * signing keys. Redis when several instances share it (distributed), memory when one process is
 * the whole platform (embedded). Token secrets are stored only as hashes.
 */
export interface AccountStore {
  /** Opens a refresh-token family whose current token has `tokenHash`; the family ends after `ttlMs`. */
  startFamily(familyId: string, family: { userId: string; tokenHash: string }, ttlMs: number): Promise<void>;
  /**
   * Atomically: when `presentedHash` is the family's current token, makes `nextHash` current
   * ('rotated'); when it is any other token of a live family, the presented one was already
   * spent, so the whole family is revoked ('reused'); 'unknown' for a family that ended.
   */
  rotateRefreshToken(familyId: string, presentedHash: string, nextHash: string): Promise<RotationOutcome>;
  revokeFamily(familyId: string): Promise<void>;

  /** Counts a failed login for `account` in a window opened by the first failure. */
  recordLoginFailure(account: string, windowMs: number): Promise<LoginFailures>;
  loginFailures(account: string): Promise<LoginFailures>;
  clearLoginFailures(account: string): Promise<void>;

  signingKeys(): Promise<StoredSigningKey[]>;
  saveSigningKey(key: StoredSigningKey): Promise<void>;
  removeSigningKey(kid: string): Promise<void>;
}

export type RotationOutcome =
  { outcome: 'rotated'; userId: string } | { outcome: 'reused'; userId: string } | { outcome: 'unknown' };

export interface LoginFailures {
  failures: number;
  /** Until the window closes and the count starts again; 0 without failures. */
  windowEndsInMs: number;
}

/** A signing key pair as JWKs; `createdAt` (epoch ms) orders keys: the newest signs. */
export interface StoredSigningKey {
  kid: string;
  createdAt: number;
  privateJwk: Record<string, unknown>;
  publicJwk: Record<string, unknown>;
}
