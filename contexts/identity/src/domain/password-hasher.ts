/**
 * The port through which the domain turns a password into something safe to store. The domain
 * never picks an algorithm: an adapter outside it (scrypt or argon2id with sound parameters)
 * does, and the hash string carries its own parameters so they can be raised later.
 */
export interface PasswordHasher {
  hash(plain: string): Promise<string>;
  verify(plain: string, hash: string): Promise<boolean>;
}
