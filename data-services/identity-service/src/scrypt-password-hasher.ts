import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { PasswordHasher } from '@strata/identity';

export interface ScryptParameters {
  /** CPU/memory cost, a power of two. */
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** OWASP's scrypt minimum (N=2^17 costs 128 MiB per hash, too much for a shared box); raise it here. */
export const DEFAULT_SCRYPT_PARAMETERS: ScryptParameters = { N: 2 ** 15, r: 8, p: 1 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
const PREFIX = 'scrypt';

function derive(password: string, salt: Buffer, parameters: ScryptParameters): Promise<Buffer> {
  // Node refuses a cost above maxmem (32 MiB by default); 128·N·r bytes plus headroom is what scrypt needs.
  const options: ScryptOptions = { ...parameters, maxmem: 256 * parameters.N * parameters.r };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY_BYTES, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/**
 * The identity domain's PasswordHasher on node:crypto scrypt. A stored hash reads
 * `scrypt$N$r$p$salt$key` (base64url), so hashes made with older parameters still verify after
 * the parameters are raised. Comparison is constant-time; a malformed stored hash verifies as false.
 */
export class ScryptPasswordHasher implements PasswordHasher {
  readonly #parameters: ScryptParameters;

  constructor(parameters: ScryptParameters = DEFAULT_SCRYPT_PARAMETERS) {
    if (!Number.isInteger(Math.log2(parameters.N)) || parameters.N < 2 ** 14) {
      throw new RangeError(`scrypt N must be a power of two of at least 2^14; got ${parameters.N}`);
    }
    this.#parameters = parameters;
  }

  async hash(plain: string): Promise<string> {
    const salt = randomBytes(SALT_BYTES);
    const key = await derive(plain, salt, this.#parameters);
    const { N, r, p } = this.#parameters;
    return [PREFIX, N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
  }

  async verify(plain: string, hash: string): Promise<boolean> {
    const parsed = parseHash(hash);
    if (parsed === undefined) return false;
    const key = await derive(plain, parsed.salt, parsed.parameters);
    return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
  }
}

function parseHash(hash: string): { parameters: ScryptParameters; salt: Buffer; key: Buffer } | undefined {
  const parts = hash.split('$');
  if (parts.length !== 6 || parts[0] !== PREFIX) return undefined;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  // Bounds keep a tampered row from turning a login into a memory or CPU bomb.
  const sane =
    Number.isInteger(Math.log2(N)) && N >= 2 ** 14 && N <= 2 ** 20 && r >= 1 && r <= 32 && p >= 1 && p <= 16;
  if (!sane) return undefined;
  return {
    parameters: { N, r, p },
    salt: Buffer.from(parts[4]!, 'base64url'),
    key: Buffer.from(parts[5]!, 'base64url'),
  };
}
