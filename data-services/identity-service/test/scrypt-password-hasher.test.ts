import { describe, expect, it } from '@jest/globals';
import { ScryptPasswordHasher } from '@strata/identity-service';

describe('ScryptPasswordHasher', () => {
  const hasher = new ScryptPasswordHasher();

  it('salts every hash, so one password never hashes the same twice', async () => {
    const [first, second] = await Promise.all([
      hasher.hash('Correct-Horse-42'),
      hasher.hash('Correct-Horse-42'),
    ]);
    expect(first).not.toBe(second);
    await expect(hasher.verify('Correct-Horse-42', first)).resolves.toBe(true);
    await expect(hasher.verify('Correct-Horse-43', first)).resolves.toBe(false);
  });

  it('still verifies a hash made with other parameters after they are raised', async () => {
    const older = await new ScryptPasswordHasher({ N: 2 ** 14, r: 8, p: 1 }).hash('Correct-Horse-42');
    expect(older).toMatch(/^scrypt\$16384\$8\$1\$/);
    await expect(hasher.verify('Correct-Horse-42', older)).resolves.toBe(true);
  });

  it('verifies a malformed or tampered stored hash as false rather than failing or burning resources', async () => {
    const good = await hasher.hash('Correct-Horse-42');
    const [, , r, p, salt, key] = good.split('$');
    for (const stored of [
      '',
      'plain-text',
      `argon2$1$2$3$${salt}$${key}`,
      `scrypt$${2 ** 30}$${r}$${p}$${salt}$${key}`,
    ]) {
      await expect(hasher.verify('Correct-Horse-42', stored)).resolves.toBe(false);
    }
  });

  it('refuses parameters weaker than N=2^14', () => {
    expect(() => new ScryptPasswordHasher({ N: 2 ** 10, r: 8, p: 1 })).toThrow(/at least 2\^14/);
  });
});
