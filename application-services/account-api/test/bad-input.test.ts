import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { servedOpenApiDiscrepancies } from '@strata/runtime/test-support';
import { AccountController } from '../src/account.controller.ts';
import { call, newAccount, startAccountApi, type Answer, type Harness } from './support.ts';

function expectProblem(answer: Answer, status: number): void {
  expect(answer.status).toBe(status);
  expect(answer.headers.get('content-type')).toContain('application/problem+json');
  expect(answer.body).toMatchObject({
    status,
    type: expect.any(String),
    title: expect.any(String),
    detail: expect.any(String),
  });
  expect(answer.body.requestId).toBe(answer.headers.get('x-request-id'));
}

function fieldPaths(answer: Answer): string[] {
  return answer.body.errors.map((error: { path: string }) => error.path);
}

describe('account-api refuses bad input with 4xx problem+json, never 5xx', () => {
  let api: Harness;
  beforeAll(async () => (api = await startAccountApi()));
  afterAll(() => api?.close());

  it('names each field of the wrong type', async () => {
    const answer = await call(api, 'POST', '/auth/register', {
      body: { email: 42, password: true, displayName: ['x'] },
    });
    expectProblem(answer, 400);
    expect(fieldPaths(answer).sort()).toEqual(['body.displayName', 'body.email', 'body.password']);
  });

  it('names each missing field', async () => {
    const answer = await call(api, 'POST', '/auth/login', { body: {} });
    expectProblem(answer, 400);
    expect(fieldPaths(answer).sort()).toEqual(['body.email', 'body.password']);
    expect(answer.body.detail).toContain('body.email');
  });

  it('refuses a missing body, a body that is not an object and malformed JSON', async () => {
    const missing = await call(api, 'POST', '/auth/login');
    expectProblem(missing, 400);
    expect(fieldPaths(missing)).toEqual(['body']);
    const array = await call(api, 'POST', '/auth/login', { body: [1, 2] });
    expectProblem(array, 400);
    const malformed = await call(api, 'POST', '/auth/login', { rawBody: '{"email": "a@b.c",' });
    expectProblem(malformed, 400);
  });

  it('refuses values outside the contract with the field path (bad email, short password, unknown role)', async () => {
    const answer = await call(api, 'POST', '/auth/register', {
      body: { ...newAccount(), email: 'not-an-email', password: 'short', registerAs: 'admin' },
    });
    expectProblem(answer, 400);
    expect(fieldPaths(answer).sort()).toEqual(['body.email', 'body.password', 'body.registerAs']);
  });

  it('answers a password the domain policy refuses with 400, the rule code and the body field', async () => {
    const answer = await call(api, 'POST', '/auth/register', {
      body: { ...newAccount(), password: 'alllowercaseletters' },
    });
    expectProblem(answer, 400);
    expect(answer.body.reason).toMatch(/^password-/);
    expect(answer.body.errors).toEqual([
      { path: 'body.password', message: answer.body.detail, code: answer.body.reason },
    ]);
  });

  it('refuses a refresh token of the wrong shape as bad input', async () => {
    const answer = await call(api, 'POST', '/auth/refresh', { body: { refreshToken: 'x'.repeat(500) } });
    expectProblem(answer, 400);
    expect(fieldPaths(answer)).toEqual(['body.refreshToken']);
  });

  it('refuses an oversized body with 413 before parsing it', async () => {
    const answer = await call(api, 'POST', '/auth/register', {
      body: { ...newAccount(), displayName: 'x'.repeat(200_000) },
    });
    expectProblem(answer, 413);
  });

  it('refuses a body that is not JSON with 415', async () => {
    const answer = await call(api, 'POST', '/auth/login', {
      rawBody: 'email=a',
      headers: { 'content-type': 'text/csv' },
    });
    expectProblem(answer, 415);
  });

  it('answers an unknown route with 404 and a method /me does not serve with 405 problem+json', async () => {
    const unknown = await call(api, 'GET', '/no/such/route?x=1');
    expectProblem(unknown, 404);
    expect(unknown.body).toMatchObject({
      reason: 'route-not-found',
      detail: 'no route answers GET /no/such/route',
    });
    const wrongMethod = await call(api, 'DELETE', '/me');
    expectProblem(wrongMethod, 405);
    expect(wrongMethod.body).toMatchObject({ reason: 'method-not-allowed' });
    expect(wrongMethod.headers.get('allow')).toBe('GET, HEAD');
  });

  it('keeps a sane caller request id and replaces one that could forge log lines', async () => {
    const kept = await call(api, 'GET', '/health', { headers: { 'x-request-id': 'trace-abc.123' } });
    expect(kept.headers.get('x-request-id')).toBe('trace-abc.123');
    const replaced = await call(api, 'GET', '/health', { headers: { 'x-request-id': 'a b\tc' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('publishes a signing key before any login, without its private part', async () => {
    const jwks = await call(api, 'GET', '/.well-known/jwks.json');
    expect(jwks.status).toBe(200);
    expect(jwks.headers.get('cache-control')).toBe('public, max-age=60');
    expect(jwks.body.keys).toHaveLength(1);
    expect(jwks.body.keys[0]).toMatchObject({
      kty: 'OKP',
      crv: 'Ed25519',
      alg: 'EdDSA',
      use: 'sig',
      kid: expect.any(String),
    });
    expect(jwks.body.keys[0]).not.toHaveProperty('d');
  });

  it('serves /health with its checks', async () => {
    const health = await call(api, 'GET', '/health');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok', checks: { redis: 'ok' } });
  });

  it('serves an OpenAPI 3.1 document describing every route, with the request schemas from the contract', async () => {
    const response = await fetch(`${api.url}/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    const document = JSON.parse(await response.text());
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths).sort()).toEqual([
      '/.well-known/jwks.json',
      '/auth/login',
      '/auth/logout',
      '/auth/refresh',
      '/auth/register',
      '/me',
    ]);
    const register = document.paths['/auth/register'].post.requestBody.content['application/json'].schema;
    expect(register.required).toEqual(expect.arrayContaining(['email', 'password', 'displayName']));
    expect(register.properties.email.format).toBe('email');
    expect(document.paths['/me'].get.security).toEqual([{ bearer: [] }]);
    expect(document.components.schemas.Problem.required).toContain('status');
  });

  it('declares in that document every path and query parameter the handlers read, and the security they enforce', async () => {
    const served = { baseUrl: api.url, controllers: [AccountController], service: 'account-api' };
    expect(await servedOpenApiDiscrepancies(served)).toEqual([]);
  });
});
