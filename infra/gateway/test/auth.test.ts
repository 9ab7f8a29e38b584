import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import {
  Issuer,
  send,
  setupBoundMs,
  startUpstream,
  uniquePrefix,
  type Upstream,
} from './fixtures/harness.ts';
import { TestGateway } from './fixtures/test-gateway.ts';

const prefix = uniquePrefix();
const issuer = new Issuer();
let upstream: Upstream;
let edge: TestGateway;
let url: string;
let jwksUrl: string;
/** The gateway's time: the system's unless a test pins it. */
let pinnedNow: number | undefined;

beforeAll(async () => {
  jwksUrl = await issuer.start();
  upstream = await startUpstream(prefix, 'learner-api', 'learner-1');
  edge = await TestGateway.start({
    etcdPrefix: prefix,
    routes: {
      version: 1,
      routes: [
        {
          name: 'learner',
          prefix: '/api/learner',
          service: 'learner-api',
          stripPrefix: true,
          plugins: { auth: { roles: ['learner'] } },
        },
        {
          name: 'studio',
          prefix: '/api/studio',
          service: 'learner-api',
          plugins: { auth: { roles: ['instructor'] } },
        },
        { name: 'open', prefix: '/api/open', service: 'learner-api' },
      ],
    },
    auth: {
      jwksUrl,
      issuer: issuer.issuer,
      audience: issuer.audience,
      algorithms: ['ES256', 'EdDSA'],
      jwksCooldownMs: 0,
      clockToleranceSeconds: 0,
      now: () => pinnedNow ?? Date.now(),
    },
  });
  url = edge.url;
}, setupBoundMs);

afterAll(async () => {
  await edge.stop();
  await upstream.kill();
  await issuer.stop();
}, setupBoundMs);

function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

function expectProblem(reply: Awaited<ReturnType<typeof send>>, status: number, detail: RegExp): void {
  expect(reply.status).toBe(status);
  expect(reply.headers['content-type']).toBe('application/problem+json');
  const body = reply.json<{
    status: number;
    detail: string;
    type: string;
    title: string;
    instance: string;
  }>();
  expect(body.status).toBe(status);
  expect(body.detail).toMatch(detail);
  expect(body.type).toMatch(/^https:\/\/strata\.dev\/problems\/[a-z0-9-]+$/);
  expect(body.instance).toBe(`urn:strata:request:${String(reply.headers['x-request-id'])}`);
  // Never forwarded: the echo upstream would have answered with its own JSON and instance header.
  expect(reply.headers['x-upstream-instance']).toBeUndefined();
}

describe('token cases', () => {
  it('refuses a request without a token with 401', async () => {
    expectProblem(await send(url, '/api/learner/courses'), 401, /needs a bearer access token/);
  });

  it('refuses a malformed Authorization header with 400', async () => {
    for (const header of [
      'Basic dXNlcjpwYXNz',
      'Bearer',
      'Bearer not-a-jwt',
      'Bearer a.b.c.d',
      'bearer x.y.z',
    ]) {
      expectProblem(
        await send(url, '/api/learner/courses', { headers: { authorization: header } }),
        400,
        /expected "Bearer/,
      );
    }
  });

  it('refuses an expired token', async () => {
    const token = await issuer.sign(
      { sub: 'user-1', roles: ['learner'] },
      { expiresIn: Math.floor(Date.now() / 1000) - 60 },
    );
    expectProblem(await send(url, '/api/learner/courses', { headers: bearer(token) }), 401, /expired/);
  });

  it('refuses a token that is not valid yet', async () => {
    const token = await issuer.sign(
      { sub: 'user-1', roles: ['learner'] },
      { notBefore: Math.floor(Date.now() / 1000) + 600, expiresIn: '20m' },
    );
    expectProblem(await send(url, '/api/learner/courses', { headers: bearer(token) }), 401, /not valid yet/);
  });

  it('refuses a tampered token (payload changed after signing)', async () => {
    const token = await issuer.sign({ sub: 'user-1', roles: ['learner'] });
    const [header, , signature] = token.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({
        sub: 'admin',
        roles: ['learner', 'admin'],
        iss: issuer.issuer,
        aud: issuer.audience,
        exp: Math.floor(Date.now() / 1000) + 300,
      }),
    ).toString('base64url');
    expectProblem(
      await send(url, '/api/learner/courses', { headers: bearer(`${header}.${forgedPayload}.${signature}`) }),
      401,
      /signature does not verify/,
    );
  });

  it('refuses alg "none"', async () => {
    const token = new UnsecuredJWT({ sub: 'user-1', roles: ['learner'] })
      .setIssuer(issuer.issuer)
      .setAudience(issuer.audience)
      .setExpirationTime('5m')
      .encode();
    expect(token.endsWith('.')).toBe(true);
    expectProblem(
      await send(url, '/api/learner/courses', { headers: bearer(token) }),
      401,
      /algorithm is not allowed/,
    );
  });

  it('refuses algorithm confusion (HS256 signed with the public JWK as the secret)', async () => {
    const jwks = (await (await fetch(jwksUrl)).json()) as { keys: object[] };
    const secret = new TextEncoder().encode(JSON.stringify(jwks.keys[0]));
    const token = await new SignJWT({ sub: 'user-1', roles: ['learner'] })
      .setProtectedHeader({ alg: 'HS256', kid: issuer.currentKid })
      .setIssuer(issuer.issuer)
      .setAudience(issuer.audience)
      .setExpirationTime('5m')
      .sign(secret);
    expectProblem(
      await send(url, '/api/learner/courses', { headers: bearer(token) }),
      401,
      /algorithm is not allowed/,
    );
  });

  it('refuses a token signed with a key the issuer never published (claiming its kid)', async () => {
    const stranger = await generateKeyPair('ES256');
    const token = await issuer.sign({ sub: 'user-1', roles: ['learner'] }, { key: stranger.privateKey });
    expectProblem(
      await send(url, '/api/learner/courses', { headers: bearer(token) }),
      401,
      /signature does not verify/,
    );
  });

  it('refuses a token from another issuer or for another audience', async () => {
    const wrongIssuer = await issuer.sign({ sub: 'user-1', roles: ['learner'] }, { issuer: 'someone-else' });
    expectProblem(
      await send(url, '/api/learner/courses', { headers: bearer(wrongIssuer) }),
      401,
      /claim "iss"/,
    );
    const wrongAudience = await issuer.sign(
      { sub: 'user-1', roles: ['learner'] },
      { audience: 'another-platform' },
    );
    expectProblem(
      await send(url, '/api/learner/courses', { headers: bearer(wrongAudience) }),
      401,
      /claim "aud"/,
    );
  });

  it('refuses a remembered token once its exp has passed', async () => {
    // The gateway's time stands still while the token is checked the first time (1 to 2 s before
    // its exp, shorter than the 30 s a verified token is remembered), then moves past the exp.
    pinnedNow = Date.now();
    try {
      const token = await issuer.sign(
        { sub: 'user-short', roles: ['learner'] },
        { expiresIn: Math.floor(pinnedNow / 1000) + 2 },
      );
      expect((await send(url, '/api/learner/me', { headers: bearer(token) })).status).toBe(200);
      const exp = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).exp as number;
      pinnedNow = exp * 1000 + 50;
      expectProblem(await send(url, '/api/learner/me', { headers: bearer(token) }), 401, /expired/);
    } finally {
      pinnedNow = undefined;
    }
  });

  it('accepts tokens signed with a rotated key without a restart, and old-key tokens still verify', async () => {
    const before = await issuer.sign({ sub: 'user-old', roles: ['learner'] });
    expect((await send(url, '/api/learner/me', { headers: bearer(before) })).status).toBe(200);
    const fetchesBefore = issuer.jwksFetches;
    const newKid = await issuer.rotate();
    const after = await issuer.sign({ sub: 'user-new', roles: ['learner'] });
    const reply = await send(url, '/api/learner/me', { headers: bearer(after) });
    expect(reply.status).toBe(200);
    expect(reply.json<{ headers: Record<string, string> }>().headers['x-strata-user-id']).toBe('user-new');
    expect(JSON.parse(Buffer.from(after.split('.')[0]!, 'base64url').toString()).kid).toBe(newKid);
    expect(issuer.jwksFetches).toBe(fetchesBefore + 1);
    expect((await send(url, '/api/learner/me', { headers: bearer(before) })).status).toBe(200);
  });
});

describe('role cases', () => {
  it('answers 403 when the token lacks the route role', async () => {
    const token = await issuer.sign({ sub: 'user-2', roles: ['learner'] });
    expectProblem(
      await send(url, '/api/studio/courses', { headers: bearer(token) }),
      403,
      /needs role\(s\) instructor/,
    );
  });

  it('answers 403 when the token has no roles claim at all', async () => {
    const token = await issuer.sign({ sub: 'user-2' });
    expectProblem(
      await send(url, '/api/learner/courses', { headers: bearer(token) }),
      403,
      /needs role\(s\) learner/,
    );
  });

  it('forwards the verified identity and strips client-sent x-strata-* headers', async () => {
    const token = await issuer.sign({ sub: 'user-3', roles: ['learner', 'instructor'] });
    const reply = await send(url, '/api/learner/courses?page=2', {
      headers: {
        ...bearer(token),
        'x-strata-user-id': 'forged-admin',
        'x-strata-roles': 'admin',
        'x-strata-anything': 'x',
        'x-request-id': 'client-req-42',
      },
    });
    expect(reply.status).toBe(200);
    const echoed = reply.json<{ url: string; headers: Record<string, string> }>();
    expect(echoed.url).toBe('/courses?page=2');
    expect(echoed.headers['x-strata-user-id']).toBe('user-3');
    expect(echoed.headers['x-strata-roles']).toBe('learner,instructor');
    expect(echoed.headers['x-strata-anything']).toBeUndefined();
    expect(echoed.headers['x-request-id']).toBe('client-req-42');
    expect(reply.headers['x-request-id']).toBe('client-req-42');
  });

  it('strips forged identity headers on a route without auth, and generates a request id', async () => {
    const reply = await send(url, '/api/open/x', {
      headers: { 'x-strata-user-id': 'forged', 'x-strata-roles': 'admin' },
    });
    expect(reply.status).toBe(200);
    const echoed = reply.json<{ url: string; headers: Record<string, string> }>();
    expect(echoed.url).toBe('/api/open/x');
    expect(echoed.headers['x-strata-user-id']).toBeUndefined();
    expect(echoed.headers['x-strata-roles']).toBeUndefined();
    expect(echoed.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
