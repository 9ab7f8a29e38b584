import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeProtectedHeader, generateKeyPair, SignJWT } from 'jose';
import { SigningKeyRing } from '../src/index.ts';
import { AUDIENCE, call, ISSUER, newAccount, startAccountApi, type Answer, type Harness } from './support.ts';

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** What two answers say, without the fields that differ per request. */
function sameness(answer: Answer) {
  const { requestId: _requestId, ...problem } = answer.body;
  return { status: answer.status, problem, retryAfter: answer.headers.get('retry-after') };
}

describe('account-api token and login security', () => {
  let api: Harness;
  beforeAll(async () => (api = await startAccountApi()));
  afterAll(() => api?.close());

  async function registerAndLogin() {
    const account = newAccount();
    const registered = await call(api, 'POST', '/auth/register', { body: account });
    expect(registered.status).toBe(201);
    const login = await call(api, 'POST', '/auth/login', {
      body: { email: account.email, password: account.password },
    });
    expect(login.status).toBe(200);
    return { account, user: registered.body, tokens: login.body };
  }

  describe('lockout', () => {
    it('locks an account after 5 failures, answering an unknown email exactly as a wrong password', async () => {
      const { account } = await registerAndLogin();
      const unknownEmail = newAccount().email;
      for (let attempt = 1; attempt <= 5; attempt += 1) {
        const wrongPassword = await call(api, 'POST', '/auth/login', {
          body: { email: account.email, password: 'Wrong-Horse-42' },
        });
        const unknown = await call(api, 'POST', '/auth/login', {
          body: { email: unknownEmail, password: 'Wrong-Horse-42' },
        });
        expect(wrongPassword.status).toBe(401);
        expect(wrongPassword.body).toMatchObject({ reason: 'invalid-credentials' });
        expect(sameness(unknown)).toEqual(sameness(wrongPassword));
      }
      const locked = await call(api, 'POST', '/auth/login', {
        body: { email: account.email, password: account.password },
      });
      expect(locked.status).toBe(429);
      expect(locked.headers.get('content-type')).toContain('application/problem+json');
      expect(locked.body).toMatchObject({ reason: 'login-locked-out' });
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(Number(locked.headers.get('retry-after'))).toBeLessThanOrEqual(15 * 60);
      const lockedUnknown = await call(api, 'POST', '/auth/login', {
        body: { email: unknownEmail, password: account.password },
      });
      expect(lockedUnknown.status).toBe(429);
      expect(lockedUnknown.body.reason).toBe(locked.body.reason);
      expect(lockedUnknown.body.detail).toBe(locked.body.detail);
    });

    it('clears the failure count on a successful login', async () => {
      const { account } = await registerAndLogin();
      const login = (password: string) =>
        call(api, 'POST', '/auth/login', { body: { email: account.email, password } });
      // Four failures, a success, then four more: a count that was not cleared would lock at the fifth.
      for (const _round of ['first', 'second']) {
        for (let attempt = 1; attempt <= 4; attempt += 1) await login('Wrong-Horse-42');
        expect((await login(account.password)).status).toBe(200);
      }
    });
  });

  describe('refresh tokens', () => {
    it('revokes the whole family when a spent refresh token comes back, including the legitimately rotated one', async () => {
      const { tokens } = await registerAndLogin();
      const rotated = await call(api, 'POST', '/auth/refresh', {
        body: { refreshToken: tokens.refreshToken },
      });
      expect(rotated.status).toBe(200);

      const replay = await call(api, 'POST', '/auth/refresh', {
        body: { refreshToken: tokens.refreshToken },
      });
      expect(replay.status).toBe(401);
      expect(replay.body).toMatchObject({ status: 401, reason: 'refresh-token-reused' });

      const legitimate = await call(api, 'POST', '/auth/refresh', {
        body: { refreshToken: rotated.body.refreshToken },
      });
      expect(legitimate.status).toBe(401);
      expect(legitimate.body.reason).toBe('refresh-token-invalid');
      expect(api.logLines.join('\n')).toContain('a spent refresh token was presented');
    });

    it('keeps other logins of the same user working when one family is revoked', async () => {
      const { account, tokens } = await registerAndLogin();
      const other = await call(api, 'POST', '/auth/login', {
        body: { email: account.email, password: account.password },
      });
      await call(api, 'POST', '/auth/refresh', { body: { refreshToken: tokens.refreshToken } });
      await call(api, 'POST', '/auth/refresh', { body: { refreshToken: tokens.refreshToken } });
      expect(
        (await call(api, 'POST', '/auth/refresh', { body: { refreshToken: other.body.refreshToken } }))
          .status,
      ).toBe(200);
    });

    it('refuses a made-up refresh token of the right shape with 401', async () => {
      const madeUp = `${crypto.randomUUID()}.${Buffer.alloc(32, 7).toString('base64url')}`;
      const answer = await call(api, 'POST', '/auth/refresh', { body: { refreshToken: madeUp } });
      expect(answer.status).toBe(401);
      expect(answer.body.reason).toBe('refresh-token-invalid');
    });
  });

  describe('access tokens', () => {
    it('answers 401 without a token, with a malformed header, and with an expired token', async () => {
      const { tokens } = await registerAndLogin();
      const none = await call(api, 'GET', '/me');
      expect(none.status).toBe(401);
      expect(none.body.reason).toBe('access-token-required');
      expect(none.headers.get('www-authenticate')).toContain('Bearer');
      const malformed = await call(api, 'GET', '/me', { headers: { authorization: 'Basic dXNlcjpwdw==' } });
      expect(malformed.status).toBe(401);

      expect((await call(api, 'GET', '/me', { token: tokens.accessToken })).status).toBe(200);
      api.clock.advance(10 * 60_000 + 6_000);
      const expired = await call(api, 'GET', '/me', { token: tokens.accessToken });
      expect(expired.status).toBe(401);
      expect(expired.body).toMatchObject({
        reason: 'invalid-access-token',
        detail: 'the access token has expired; refresh it',
      });

      const refreshed = await call(api, 'POST', '/auth/refresh', {
        body: { refreshToken: tokens.refreshToken },
      });
      expect((await call(api, 'GET', '/me', { token: refreshed.body.accessToken })).status).toBe(200);
    });

    it('answers 401 for a tampered token (roles raised to admin, signature kept)', async () => {
      const { tokens } = await registerAndLogin();
      const [header, payload, signature] = tokens.accessToken.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      const tampered = `${header}.${base64url({ ...claims, roles: ['learner', 'admin'] })}.${signature}`;
      const answer = await call(api, 'GET', '/me', { token: tampered });
      expect(answer.status).toBe(401);
      expect(answer.body.detail).toBe('the access token signature does not verify');
    });

    it('answers 401 for an unsigned token (alg: none)', async () => {
      const { tokens } = await registerAndLogin();
      const [header, payload] = tokens.accessToken.split('.');
      const { kid } = decodeProtectedHeader(tokens.accessToken);
      expect(kid).toBeDefined();
      const unsigned = `${base64url({ alg: 'none', kid, typ: 'at+jwt' })}.${payload}.`;
      expect(header).not.toBe(unsigned.split('.')[0]);
      const answer = await call(api, 'GET', '/me', { token: unsigned });
      expect(answer.status).toBe(401);
      expect(answer.body.reason).toBe('invalid-access-token');
    });

    it('answers 401 for a well-formed token signed by a key account-api never published', async () => {
      const { user, tokens } = await registerAndLogin();
      const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
      const sign = (kid: string) =>
        new SignJWT({ roles: ['admin'] })
          .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'at+jwt' })
          .setSubject(user.id)
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setIssuedAt(Math.floor(api.clock.now().getTime() / 1000))
          .setExpirationTime(Math.floor(api.clock.now().getTime() / 1000) + 300)
          .sign(privateKey);
      const unknownKid = await call(api, 'GET', '/me', { token: await sign('attacker-key') });
      expect(unknownKid.status).toBe(401);
      expect(unknownKid.body.detail).toBe('no published key matches the access token (kid)');
      // The real kid on a foreign signature: the published key does not verify it.
      const stolenKid = await call(api, 'GET', '/me', {
        token: await sign(decodeProtectedHeader(tokens.accessToken).kid!),
      });
      expect(stolenKid.status).toBe(401);
      expect(stolenKid.body.detail).toBe('the access token signature does not verify');
    });
  });

  describe('JWKS rotation', () => {
    it("publishes both keys after a rotation, verifies the old key's tokens until they expire, then drops the old key", async () => {
      const { tokens } = await registerAndLogin();
      const oldKid = decodeProtectedHeader(tokens.accessToken).kid;
      const before = await call(api, 'GET', '/.well-known/jwks.json');
      expect(before.status).toBe(200);
      expect(before.body.keys.map((key: { kid: string }) => key.kid)).toEqual([oldKid]);
      expect(before.body.keys[0]).not.toHaveProperty('d');

      await api.app.get(SigningKeyRing).rotate();

      const after = await call(api, 'GET', '/.well-known/jwks.json');
      const kids = after.body.keys.map((key: { kid: string }) => key.kid);
      expect(kids).toHaveLength(2);
      expect(kids).toContain(oldKid);
      for (const key of after.body.keys) {
        expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
        expect(key).not.toHaveProperty('d');
      }
      const newKid = kids.find((kid: string) => kid !== oldKid);

      expect((await call(api, 'GET', '/me', { token: tokens.accessToken })).status).toBe(200);
      const refreshed = await call(api, 'POST', '/auth/refresh', {
        body: { refreshToken: tokens.refreshToken },
      });
      expect(decodeProtectedHeader(refreshed.body.accessToken).kid).toBe(newKid);

      api.clock.advance(10 * 60_000 + 6_000);
      const later = await call(api, 'GET', '/.well-known/jwks.json');
      expect(later.body.keys.map((key: { kid: string }) => key.kid)).toEqual([newKid]);
      expect((await call(api, 'GET', '/me', { token: tokens.accessToken })).status).toBe(401);
    });
  });
});
