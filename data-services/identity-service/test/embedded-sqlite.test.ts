import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InProcessEventBroker } from '@strata/events';
import { identityContract } from '@strata/identity/contract';
import { createIdentityService, type IdentityService } from '@strata/identity-service';
import { createContractClient, inProcessInvoke } from '@strata/rpc';
import { systemClock } from '@strata/shared-kernel';
import { recordingLogger } from '@strata/runtime/test-support';

describe('identity-service embedded on SQLite', () => {
  let dir: string;
  let identity: IdentityService;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-identity-'));
    identity = await createIdentityService({
      database: { kind: 'sqlite', file: join(dir, 'identity.sqlite') },
      clock: systemClock,
      broker: new InProcessEventBroker(),
      logger: recordingLogger(),
    });
  });

  afterAll(async () => {
    await identity?.close();
    await rm(dir, { recursive: true, force: true });
  });

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
