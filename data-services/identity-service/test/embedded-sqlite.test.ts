import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { identityContract } from '@strata/identity/contract';
import { createIdentityService, type IdentityService } from '@strata/identity-service';
import { sqliteDataService, type RunningDataService } from '@strata/runtime/test-support';

describe('identity-service embedded on SQLite', () => {
  let running: RunningDataService<IdentityService>;

  beforeAll(async () => {
    running = await sqliteDataService(createIdentityService);
  });

  afterAll(() => running?.stop());

  it('registers, reads back, authenticates and refuses a duplicate email with the same code as on MariaDB', async () => {
    const client = running.clientOf(identityContract);
    const registration = {
      email: 'embedded@example.org',
      password: 'Correct-Horse-42',
      displayName: 'Embedded',
    };
    const user = await client.User.register({ ...registration, registerAs: 'instructor' });
    await expect(client.User.get(user.id)).resolves.toEqual(user);
    await expect(
      client.User.authenticate(user.id, { password: registration.password }),
    ).resolves.toMatchObject({
      roles: ['learner', 'instructor'],
    });
    await expect(client.User.register(registration)).rejects.toMatchObject({
      code: 'CONFLICT',
      reason: 'email-already-registered',
    });
  });
});
