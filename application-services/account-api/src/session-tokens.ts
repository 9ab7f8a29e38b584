import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { RpcError, type Clock } from '@strata/shared-kernel';
import { SignJWT } from 'jose';
import type { AccountStore } from './account-store.ts';
import { SIGNING_ALGORITHM, type SigningKeyRing } from './signing-key-ring.ts';

export interface TokenPolicy {
  issuer: string;
  audience: string;
  accessTokenTtlMs: number;
  /** How long a login lasts through refreshes; the family ends then, whatever the rotations. */
  refreshFamilyTtlMs: number;
}

export interface TokenPair {
  accessToken: string;
  tokenType: 'Bearer';
  /** Seconds until the access token expires. */
  expiresIn: number;
  refreshToken: string;
}

export interface TokenSubject {
  id: string;
  roles: string[];
}

/** `<family id>.<secret>`: the family names the login, the secret proves this is its latest token. */
export const REFRESH_TOKEN = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/;

/**
 * Issues access tokens (short-lived signed JWTs) and refresh tokens (opaque, rotated on every
 * use; presenting a spent one revokes the whole login, since either the user or a thief holds a
 * copy and there is no telling which).
 */
export class SessionTokens {
  readonly #keys: SigningKeyRing;
  readonly #store: AccountStore;
  readonly #clock: Clock;
  readonly #policy: TokenPolicy;

  constructor(keys: SigningKeyRing, store: AccountStore, clock: Clock, policy: TokenPolicy) {
    this.#keys = keys;
    this.#store = store;
    this.#clock = clock;
    this.#policy = policy;
  }

  async startSession(user: TokenSubject): Promise<TokenPair> {
    const familyId = randomUUID();
    const secret = newSecret();
    await this.#store.startFamily(
      familyId,
      { userId: user.id, tokenHash: hash(secret) },
      this.#policy.refreshFamilyTtlMs,
    );
    return this.pair(user, `${familyId}.${secret}`);
  }

  /** Spends a refresh token: answers the user it belongs to and the token that replaces it. */
  async rotate(refreshToken: string): Promise<{ userId: string; familyId: string; refreshToken: string }> {
    const { familyId, secret } = parse(refreshToken);
    const next = newSecret();
    const rotation = await this.#store.rotateRefreshToken(familyId, hash(secret), hash(next));
    switch (rotation.outcome) {
      case 'rotated':
        return { userId: rotation.userId, familyId, refreshToken: `${familyId}.${next}` };
      case 'reused':
        throw new RpcError(
          'UNAUTHENTICATED',
          'this refresh token was already used; the login it belonged to is revoked, log in again',
          { reason: 'refresh-token-reused', details: { userId: rotation.userId } },
        );
      case 'unknown':
        throw new RpcError('UNAUTHENTICATED', 'this refresh token has expired or was revoked; log in again', {
          reason: 'refresh-token-invalid',
        });
    }
  }

  /** Ends the login a refresh token belongs to, whether the token is its latest or a spent one. */
  async revoke(refreshToken: string): Promise<void> {
    await this.#store.revokeFamily(parse(refreshToken).familyId);
  }

  async revokeFamily(familyId: string): Promise<void> {
    await this.#store.revokeFamily(familyId);
  }

  /** A fresh access token for `user`, paired with the refresh token that rotation just issued. */
  async pair(user: TokenSubject, refreshToken: string): Promise<TokenPair> {
    const { kid, key } = await this.#keys.signingKey();
    const issuedAt = Math.floor(this.#clock.now().getTime() / 1000);
    const expiresIn = Math.floor(this.#policy.accessTokenTtlMs / 1000);
    const accessToken = await new SignJWT({ roles: user.roles })
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid, typ: 'at+jwt' })
      .setSubject(user.id)
      .setIssuer(this.#policy.issuer)
      .setAudience(this.#policy.audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + expiresIn)
      .setJti(randomUUID())
      .sign(key);
    return { accessToken, tokenType: 'Bearer', expiresIn, refreshToken };
  }
}

function parse(refreshToken: string): { familyId: string; secret: string } {
  const match = REFRESH_TOKEN.exec(refreshToken);
  if (match === null) {
    throw new RpcError('UNAUTHENTICATED', 'this is not a refresh token issued here; log in again', {
      reason: 'refresh-token-invalid',
    });
  }
  return { familyId: match[1]!, secret: match[2]! };
}

function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

function hash(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}
