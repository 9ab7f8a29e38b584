import type { PasswordHasher } from '@strata/identity';

/**
 * A reversible stand-in for scrypt/argon2id: tests need to see that the stored value is not the
 * password and that verify matches hash, not to spend CPU on key stretching.
 */
export class FakePasswordHasher implements PasswordHasher {
  async hash(plain: string): Promise<string> {
    return `fake-hash(${plain})`;
  }

  async verify(plain: string, hash: string): Promise<boolean> {
    return hash === `fake-hash(${plain})`;
  }
}
