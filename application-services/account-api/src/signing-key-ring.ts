import type { Clock } from '@strata/shared-kernel';
import {
  calculateJwkThumbprint,
  errors,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTVerifyGetKey,
} from 'jose';
import type { AccountStore, StoredSigningKey } from './account-store.ts';

export const SIGNING_ALGORITHM = 'EdDSA';

export interface SigningKeyRingOptions {
  store: AccountStore;
  clock: Clock;
  /** A key signs for this long, then a new one takes over. */
  rotationIntervalMs: number;
  /** A replaced key stays published this long after its successor appears, so every token it signed can still be verified. */
  retentionMs: number;
}

type KeyLike = Awaited<ReturnType<typeof importJWK>>;

/**
 * account-api's Ed25519 signing keys. The newest key signs; when it is older than the rotation
 * interval the next signature makes a new one. A replaced key stays in the JWKS until every
 * access token it signed has expired, then it is deleted. Two instances rotating at the same
 * moment each add a key: both are published, the newer signs, nothing breaks.
 */
export class SigningKeyRing {
  readonly #options: SigningKeyRingOptions;
  // Importing a JWK is costly next to a signature; keys never change under a kid.
  readonly #imported = new Map<string, KeyLike>();

  constructor(options: SigningKeyRingOptions) {
    this.#options = options;
  }

  /** The key to sign with now, rotating first when the newest is due. */
  async signingKey(): Promise<{ kid: string; key: KeyLike }> {
    const keys = await this.#published();
    const newest = keys[0];
    const current =
      newest === undefined || this.#now() - newest.createdAt >= this.#options.rotationIntervalMs
        ? await this.rotate()
        : newest;
    return { kid: current.kid, key: await this.#import(current.kid, current.privateJwk) };
  }

  /** Makes a new key the signing key and deletes keys no token can need any more. */
  async rotate(): Promise<StoredSigningKey> {
    const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALGORITHM, {
      crv: 'Ed25519',
      extractable: true,
    });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    const key: StoredSigningKey = {
      kid,
      createdAt: this.#now(),
      privateJwk: { ...(await exportJWK(privateKey)), kid, alg: SIGNING_ALGORITHM },
      publicJwk: { ...publicJwk, kid, alg: SIGNING_ALGORITHM, use: 'sig' },
    };
    await this.#options.store.saveSigningKey(key);
    const all = await this.#options.store.signingKeys();
    await Promise.all(this.#retired(all).map((old) => this.#options.store.removeSigningKey(old.kid)));
    return key;
  }

  /**
   * The public keys verifiers need: the signing key and every predecessor still within retention.
   * A due rotation happens first, so the key that signs next is published before its first token.
   */
  async jwks(): Promise<{ keys: JWK[] }> {
    await this.signingKey();
    return { keys: (await this.#published()).map((key) => key.publicJwk as JWK) };
  }

  /** For verifying tokens in account-api itself: a published key by `kid`, or no match. */
  readonly verificationKey: JWTVerifyGetKey = async (header) => {
    const key = (await this.#published()).find((candidate) => candidate.kid === header.kid);
    if (key === undefined) throw new errors.JWKSNoMatchingKey();
    return this.#import(`public:${key.kid}`, key.publicJwk);
  };

  async #published(): Promise<StoredSigningKey[]> {
    const all = await this.#options.store.signingKeys();
    const retired = new Set(this.#retired(all).map((key) => key.kid));
    return newestFirst(all).filter((key) => !retired.has(key.kid));
  }

  #retired(keys: StoredSigningKey[]): StoredSigningKey[] {
    const ordered = newestFirst(keys);
    const now = this.#now();
    // ordered[i - 1] is the key that replaced ordered[i].
    return ordered.filter(
      (_key, index) => index > 0 && now >= ordered[index - 1]!.createdAt + this.#options.retentionMs,
    );
  }

  async #import(cacheKey: string, jwk: Record<string, unknown>): Promise<KeyLike> {
    const cached = this.#imported.get(cacheKey);
    if (cached !== undefined) return cached;
    const key = await importJWK(jwk as JWK, SIGNING_ALGORITHM);
    this.#imported.set(cacheKey, key);
    return key;
  }

  #now(): number {
    return this.#options.clock.now().getTime();
  }
}

function newestFirst(keys: StoredSigningKey[]): StoredSigningKey[] {
  return [...keys].sort((a, b) => b.createdAt - a.createdAt);
}
