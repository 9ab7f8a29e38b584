import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { identityContract } from '@strata/identity/contract';
import { createIdentityService, type IdentityService } from '@strata/identity-service';
import { createContractClient, inProcessInvoke } from '@strata/rpc';
import { sqliteDataService, type SqliteDataService } from '@strata/runtime/test-support';

describe('identity-service embedded on SQLite', () => {
  let running: SqliteDataService<IdentityService>;
  let identity: IdentityService;

  beforeAll(async () => {
    running = await sqliteDataService(createIdentityService);
    identity = running.service;
  });

  afterAll(() => running?.stop());

  it('registers, reads back, authenticates and refuses a duplicate email with the same code as on MariaDB', async () => {
    const client = createContractClient(identityContract, {
      service: 'identity-service',
      invoke: inProcessInvoke(identity.handler),
    });
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
