import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { call, newAccount, startAccountApi, type Harness } from './support.ts';

describe.each(['redis', 'memory'] as const)('account-api journey over HTTP, state in %s', (store) => {
  let api: Harness;
  beforeAll(async () => (api = await startAccountApi(store)));
  afterAll(() => api?.close());

  it('registers, logs in, reads me, refreshes with rotation and logs out', async () => {
    const account = newAccount();
    const registered = await call(api, 'POST', '/auth/register', {
      body: { ...account, registerAs: 'instructor' },
    });
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject({
      email: account.email,
      displayName: account.displayName,
      roles: ['learner', 'instructor'],
      status: 'active',
    });
    expect(JSON.stringify(registered.body)).not.toContain(account.password);

    const login = await call(api, 'POST', '/auth/login', {
      body: { email: account.email, password: account.password },
    });
    expect(login.status).toBe(200);
    expect(login.headers.get('cache-control')).toBe('no-store');
    expect(login.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 600 });

    const me = await call(api, 'GET', '/me', { token: login.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toEqual(registered.body);

    const refreshed = await call(api, 'POST', '/auth/refresh', {
      body: { refreshToken: login.body.refreshToken },
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).not.toBe(login.body.refreshToken);
    expect(refreshed.body.accessToken).not.toBe(login.body.accessToken);
    expect((await call(api, 'GET', '/me', { token: refreshed.body.accessToken })).body.id).toBe(
      registered.body.id,
    );

    const logout = await call(api, 'POST', '/auth/logout', {
      body: { refreshToken: refreshed.body.refreshToken },
    });
    expect(logout.status).toBe(204);
    const afterLogout = await call(api, 'POST', '/auth/refresh', {
      body: { refreshToken: refreshed.body.refreshToken },
    });
    expect(afterLogout.status).toBe(401);
    expect(afterLogout.body).toMatchObject({ status: 401, reason: 'refresh-token-invalid' });
  });

  it('sends the verified caller and the request id in the metadata of every identity-service call', async () => {
    const account = newAccount();
    const registered = await call(api, 'POST', '/auth/register', {
      body: account,
      headers: { 'x-request-id': 'journey-register' },
    });
    const login = await call(api, 'POST', '/auth/login', {
      body: { email: account.email, password: account.password },
      headers: { 'x-request-id': 'journey-login' },
    });
    await call(api, 'GET', '/me', {
      token: login.body.accessToken,
      headers: { 'x-request-id': 'journey-me' },
    });
    const sent = (correlationId: string) =>
      api.identityRequests
        .filter((request) => request.metadata.correlationId === correlationId)
        .map((request) => [request.method, request.metadata.caller]);
    expect(sent('journey-register')).toEqual([['User.register', { service: 'account-api' }]]);
    expect(sent('journey-login')).toEqual([
      ['User.findByEmail', { service: 'account-api' }],
      ['User.authenticate', { service: 'account-api' }],
    ]);
    expect(sent('journey-me')).toEqual([
      ['User.get', { service: 'account-api', userId: registered.body.id, roles: ['learner'] }],
    ]);
  });

  it('answers a second registration of the same email with 409 and the rule code', async () => {
    const account = newAccount();
    expect((await call(api, 'POST', '/auth/register', { body: account })).status).toBe(201);
    const again = await call(api, 'POST', '/auth/register', {
      body: { ...account, email: account.email.toUpperCase() },
    });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
    expect(again.body).toMatchObject({ status: 409, reason: 'email-already-registered' });
  });

  it('never writes a password or a token to the log', async () => {
    const account = newAccount();
    await call(api, 'POST', '/auth/register', { body: account });
    const login = await call(api, 'POST', '/auth/login', {
      body: { email: account.email, password: account.password },
    });
    await call(api, 'POST', '/auth/login', { body: { email: account.email, password: 'Wrong-Horse-42' } });
    const log = api.logLines.join('\n');
    expect(log).toContain('"path":"/auth/login","status":401');
    expect(log).not.toContain(account.password);
    expect(log).not.toContain('Wrong-Horse-42');
    expect(log).not.toContain(login.body.refreshToken);
    expect(log).not.toContain(login.body.accessToken);
  });
});
