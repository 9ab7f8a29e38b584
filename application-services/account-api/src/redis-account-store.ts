import type { Redis } from 'ioredis';
import type { AccountStore, LoginFailures, RotationOutcome, StoredSigningKey } from './account-store.ts';

// One script so that two instances refreshing the same token at once cannot both win: the
// second sees a spent token and revokes the family, as a thief's replay would.
const ROTATE = `
local userId = redis.call('HGET', KEYS[1], 'userId')
if not userId then return {'unknown'} end
if redis.call('HGET', KEYS[1], 'current') == ARGV[1] then
  redis.call('HSET', KEYS[1], 'current', ARGV[2])
  return {'rotated', userId}
end
redis.call('DEL', KEYS[1])
return {'reused', userId}
`;

// The window opens with the first failure and is not extended by later ones.
const RECORD_FAILURE = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {count, redis.call('PTTL', KEYS[1])}
`;

/** The distributed AccountStore: every instance of account-api sees the same families, counters and keys. */
export class RedisAccountStore implements AccountStore {
  readonly #redis: Redis;
  readonly #prefix: string;

  /** `prefix` namespaces the keys (`strata:account-api:` by default), so tests and deployments can share a Redis. */
  constructor(redis: Redis, prefix = 'strata:account-api:') {
    this.#redis = redis;
    this.#prefix = prefix;
  }

  async startFamily(
    familyId: string,
    family: { userId: string; tokenHash: string },
    ttlMs: number,
  ): Promise<void> {
    await this.#redis
      .multi()
      .hset(this.#family(familyId), { userId: family.userId, current: family.tokenHash })
      .pexpire(this.#family(familyId), ttlMs)
      .exec();
  }

  async rotateRefreshToken(
    familyId: string,
    presentedHash: string,
    nextHash: string,
  ): Promise<RotationOutcome> {
    const [outcome, userId] = (await this.#redis.eval(
      ROTATE,
      1,
      this.#family(familyId),
      presentedHash,
      nextHash,
    )) as [string, string?];
    if (outcome === 'rotated' || outcome === 'reused') return { outcome, userId: userId! };
    return { outcome: 'unknown' };
  }

  async revokeFamily(familyId: string): Promise<void> {
    await this.#redis.del(this.#family(familyId));
  }

  async recordLoginFailure(account: string, windowMs: number): Promise<LoginFailures> {
    const [failures, ttl] = (await this.#redis.eval(
      RECORD_FAILURE,
      1,
      this.#failures(account),
      windowMs,
    )) as [number, number];
    return { failures, windowEndsInMs: Math.max(ttl, 0) };
  }

  async loginFailures(account: string): Promise<LoginFailures> {
    const [count, ttl] = await Promise.all([
      this.#redis.get(this.#failures(account)),
      this.#redis.pttl(this.#failures(account)),
    ]);
    if (count === null || ttl <= 0) return { failures: 0, windowEndsInMs: 0 };
    return { failures: Number(count), windowEndsInMs: ttl };
  }

  async clearLoginFailures(account: string): Promise<void> {
    await this.#redis.del(this.#failures(account));
  }

  async signingKeys(): Promise<StoredSigningKey[]> {
    const stored = await this.#redis.hgetall(this.#keys());
    return Object.values(stored).map((json) => JSON.parse(json) as StoredSigningKey);
  }

  async saveSigningKey(key: StoredSigningKey): Promise<void> {
    await this.#redis.hset(this.#keys(), key.kid, JSON.stringify(key));
  }

  async removeSigningKey(kid: string): Promise<void> {
    await this.#redis.hdel(this.#keys(), kid);
  }

  #family(familyId: string): string {
    return `${this.#prefix}refresh-family:${familyId}`;
  }

  #failures(account: string): string {
    return `${this.#prefix}login-failures:${account}`;
  }

  #keys(): string {
    return `${this.#prefix}signing-keys`;
  }
}
