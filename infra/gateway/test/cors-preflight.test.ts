import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { send } from './fixtures/harness.ts';
import { TestGateway } from './fixtures/test-gateway.ts';

// The route file the platform ships, not a test's own: its CORS settings are what browsers meet.
const shippedRoutes = fileURLToPath(new URL('../routes.json', import.meta.url));
const origin = 'http://localhost:5173';
let edge: TestGateway;
let url: string;

beforeAll(async () => {
  edge = await TestGateway.start({
    routesPath: shippedRoutes,
    // Preflights carry no token, so the JWKS is never fetched.
    auth: {
      jwksUrl: 'http://127.0.0.1:9/.well-known/jwks.json',
      issuer: 'strata-account-api',
      audience: 'strata',
      algorithms: ['EdDSA'],
      jwksCooldownMs: 0,
      clockToleranceSeconds: 0,
    },
  });
  url = edge.url;
});

afterAll(() => edge.stop());

function preflight(path: string, method: string) {
  return send(url, path, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': method,
      'access-control-request-headers': 'authorization, content-type',
    },
  });
}

describe('a browser preflight through the shipped routes', () => {
  it('allows PATCH on studio-api, whose course and lesson edits are PATCH operations', async () => {
    const reply = await preflight('/api/studio/courses/0199a5e0-0000-7000-8000-000000000001', 'PATCH');
    expect(reply.status).toBe(204);
    expect(reply.headers['access-control-allow-origin']).toBe(origin);
    const allowed = String(reply.headers['access-control-allow-methods']).split(', ');
    expect(allowed).toContain('PATCH');
  });

  it.each(['/api/account/auth/login', '/api/learner/courses', '/api/learner/orders', '/api/studio/courses'])(
    'allows every forwarded method on %s',
    async (path) => {
      const reply = await preflight(path, 'DELETE');
      expect(reply.status).toBe(204);
      expect(String(reply.headers['access-control-allow-methods']).split(', ')).toEqual(
        expect.arrayContaining(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']),
      );
    },
  );
});
