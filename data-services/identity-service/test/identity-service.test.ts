import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { identityContract } from '@strata/identity/contract';
import { createContractClient, listenTcp, connectTcp, type ContractClient } from '@strata/rpc';
import { createIdentityService, type IdentityService } from '@strata/identity-service';
import { createConnection } from 'mysql2/promise';
import { stackEndpoints } from '@strata/dev-stack';
import { databaseNameFor } from '@strata/persistence';
import { runningStatements, uniqueService } from '@strata/persistence/test-support';
import {
  mariaDbDataService,
  recordingLogger,
  refusal,
  type RunningDataService,
} from '@strata/runtime/test-support';

const password = 'Correct-Horse-42';

describe('identity-service on MariaDB', () => {
  const service = uniqueService('identity');
  const logger = recordingLogger();
  let running: RunningDataService<IdentityService>;
  let identity: IdentityService;
  let client: ContractClient<typeof identityContract>;

  beforeAll(async () => {
    running = await mariaDbDataService(createIdentityService, service, { logger });
    identity = running.service;
    client = running.clientOf(identityContract);
  });

  afterAll(async () => {
    await running?.stop();
  });

  it('registers a user with a normalised email and records UserRegistered in the outbox', async () => {
    const user = await client.User.register({
      email: 'Ada@Example.org',
      password,
      displayName: 'Ada Lovelace',
      registerAs: 'instructor',
    });
    expect(user).toMatchObject({
      email: 'ada@example.org',
      displayName: 'Ada Lovelace',
      roles: ['learner', 'instructor'],
      status: 'active',
      emailVerified: false,
    });
    const rows = await identity.database
      .em()
      .execute<{ event_type: string; topic: string }[]>(
        'select event_type, topic from outbox where aggregate_id = ?',
        [user.id],
      );
    expect(rows.map((row) => [row.event_type, row.topic])).toEqual([
      ['UserRegistered', 'strata.identity.events'],
    ]);
  });

  it('stores the password as a salted scrypt hash carrying its parameters', async () => {
    const user = await client.User.register({ email: 'hash@example.org', password, displayName: 'Hash' });
    const [row] = await identity.database
      .em()
      .execute<{ password_hash: string }[]>('select password_hash from users where id = ?', [user.id]);
    expect(row!.password_hash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(row!.password_hash).not.toContain(password);
  });

  it('refuses a second registration of the same email, whatever its spelling', async () => {
    await client.User.register({ email: 'grace@example.org', password, displayName: 'Grace' });
    const error = await refusal(
      client.User.register({ email: 'GRACE@Example.ORG', password, displayName: 'Grace again' }),
    );
    expect(error).toMatchObject({ code: 'CONFLICT', reason: 'email-already-registered' });
  });

  it('lets exactly one of two concurrent registrations of one email succeed; the other is email-already-registered', async () => {
    const attempts = await Promise.allSettled([
      client.User.register({ email: 'race@example.org', password, displayName: 'First' }),
      client.User.register({ email: 'race@example.org', password, displayName: 'Second' }),
    ]);
    expect(attempts.filter((attempt) => attempt.status === 'fulfilled')).toHaveLength(1);
    const [rejected] = attempts.filter((attempt) => attempt.status === 'rejected');
    expect((rejected as PromiseRejectedResult).reason).toMatchObject({
      code: 'CONFLICT',
      reason: 'email-already-registered',
    });
    const [count] = await identity.database
      .em()
      .execute<{ n: number }[]>("select count(*) as n from users where email = 'race@example.org'");
    expect(Number(count!.n)).toBe(1);
  });

  it('maps a violation of the unique email index to email-already-registered when the advisory check could not see the rival', async () => {
    // A rival registration holds the email uncommitted: the advisory query cannot see it, so only the index decides.
    const rival = await createConnection({ ...stackEndpoints().mysql, database: databaseNameFor(service) });
    try {
      await rival.beginTransaction();
      await rival.query(
        `insert into users (id, email, display_name, password_hash, roles, status, registered_at, version)
         values (?, 'rival@example.org', 'Rival', 'scrypt$x', '["learner"]', 'active', now(3), 1)`,
        [crypto.randomUUID()],
      );
      const registration = client.User.register({
        email: 'rival@example.org',
        password,
        displayName: 'Late',
      });
      registration.catch(() => {});
      // Commit the rival once the registration's insert is running: its advisory check has passed by
      // then, and the insert either waits on the rival's index lock or meets the committed row.
      expect(await runningStatements(service, 'insert into `users`')).toBeGreaterThan(0);
      await rival.commit();
      expect(await refusal(registration)).toMatchObject({
        code: 'CONFLICT',
        reason: 'email-already-registered',
      });
    } finally {
      await rival.end();
    }
  });

  it('answers a creation repeated with the same idempotency key with the first result, creating one user', async () => {
    const options = { idempotencyKey: crypto.randomUUID(), caller: { service: 'account-api' } };
    const registration = { email: 'once@example.org', password, displayName: 'Once' };
    const first = await client.User.register(registration, options);
    const second = await client.User.register(registration, options);
    expect(second).toEqual(first);
    await expect(client.User.findByEmail({ email: 'once@example.org' })).resolves.toMatchObject({
      items: [{ id: first.id }],
    });
  });

  it('authenticates with the right password and refuses a wrong one', async () => {
    const user = await client.User.register({ email: 'login@example.org', password, displayName: 'Login' });
    await expect(client.User.authenticate(user.id, { password })).resolves.toMatchObject({ id: user.id });
    expect(await refusal(client.User.authenticate(user.id, { password: 'Wrong-Horse-42' }))).toMatchObject({
      code: 'PERMISSION_DENIED',
      reason: 'credentials-do-not-match',
    });
  });

  it('finds a user by email through the finder', async () => {
    const user = await client.User.register({ email: 'find@example.org', password, displayName: 'Find' });
    await expect(client.User.findByEmail({ email: 'FIND@example.org' })).resolves.toEqual({
      items: [expect.objectContaining({ id: user.id })],
      nextCursor: null,
    });
    await expect(client.User.findByEmail({ email: 'nobody@example.org' })).resolves.toEqual({
      items: [],
      nextCursor: null,
    });
  });

  it('never answers, logs or publishes the password or its hash', async () => {
    const user = await client.User.register({ email: 'secret@example.org', password, displayName: 'Secret' });
    const answers = [
      user,
      await client.User.get(user.id),
      await client.User.authenticate(user.id, { password }),
      await client.User.findByEmail({ email: 'secret@example.org' }),
      await client.User.changePassword(
        user.id,
        { currentPassword: password, newPassword: 'Battery-Staple-7' },
        { caller: { userId: user.id, roles: ['learner'] } },
      ),
    ];
    const [row] = await identity.database
      .em()
      .execute<{ password_hash: string }[]>('select password_hash from users where id = ?', [user.id]);
    const outbox = await identity.database
      .em()
      .execute<{ envelope: string }[]>('select envelope from outbox where aggregate_id = ?', [user.id]);
    const seen = JSON.stringify([answers, outbox, logger.lines]);
    expect(outbox.length).toBe(2);
    for (const secret of [password, 'Battery-Staple-7', row!.password_hash, 'scrypt$']) {
      expect(seen).not.toContain(secret);
    }
    expect(seen).not.toMatch(/passwordHash|password_hash/);
  });

  it('refuses a password change by someone else, and one without a caller identity', async () => {
    const user = await client.User.register({ email: 'mine@example.org', password, displayName: 'Mine' });
    const change = { currentPassword: password, newPassword: 'Battery-Staple-7' };
    expect(
      await refusal(
        client.User.changePassword(user.id, change, { caller: { userId: crypto.randomUUID(), roles: [] } }),
      ),
    ).toMatchObject({ code: 'PERMISSION_DENIED', reason: 'only-the-user-may-change-their-password' });
    expect(await refusal(client.User.changePassword(user.id, change))).toMatchObject({
      code: 'UNAUTHENTICATED',
      reason: 'caller-identity-required',
    });
  });

  it('answers INVALID_ARGUMENT naming the fields of a malformed registration', async () => {
    const error = await refusal(
      client.User.register({ email: 'not-an-email', password: 'short', displayName: '' } as never, {}),
    );
    expect(error.code).toBe('INVALID_ARGUMENT');
    const paths = (error.issues ?? []).map((issue) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['input.email', 'input.password', 'input.displayName']));
  });

  it('applies the domain password policy after the boundary checks', async () => {
    expect(
      await refusal(
        client.User.register({
          email: 'weak@example.org',
          password: 'alllowercaseletters',
          displayName: 'W',
        }),
      ),
    ).toMatchObject({ code: 'INVALID_ARGUMENT', reason: 'password-must-mix-character-classes' });
  });

  it('serves the same contract over real TCP', async () => {
    const listener = await listenTcp({ handler: identity.handler, tls: false });
    const connection = await connectTcp({
      host: listener.address.host,
      port: listener.address.port,
      tls: false,
    });
    try {
      const overTcp = createContractClient(identityContract, {
        service: 'identity-service',
        invoke: (request) => connection.call(request),
      });
      const user = await overTcp.User.register({
        email: 'tcp@example.org',
        password,
        displayName: 'Over TCP',
      });
      await expect(overTcp.User.authenticate(user.id, { password })).resolves.toMatchObject({
        email: 'tcp@example.org',
      });
      expect(
        await refusal(overTcp.User.register({ email: 'tcp@example.org', password, displayName: 'Again' })),
      ).toMatchObject({
        code: 'CONFLICT',
        reason: 'email-already-registered',
      });
    } finally {
      await connection.close();
      await listener.close();
    }
  });
});
