import { Writable } from 'node:stream';
import { createCommerceService } from '@strata/commerce-service';
import { inProcessInvoke, type RpcRequest } from '@strata/rpc';
import { createLogger, JwtAccessTokenVerifier } from '@strata/runtime';
import { sqliteDataService } from '@strata/runtime/test-support';
import { newId } from '@strata/shared-kernel';
import { generateKeyPair, SignJWT } from 'jose';
import { createStudioApi } from '../src/index.ts';

const ISSUER = 'https://account-api.strata.test';
const AUDIENCE = 'strata';

export interface Harness {
  url: string;
  /** Every request studio-api sent to commerce-service, as the real handler received it. */
  commerceRequests: RpcRequest[];
  /** A token account-api would issue for this user, signed with the key the app trusts. */
  tokenFor(user: { userId: string; roles: string[] }): Promise<string>;
  close(): Promise<void>;
}

/** studio-api over the real commerce-service handler on a fresh SQLite file, verifying real EdDSA tokens. */
export async function startStudioApi(): Promise<Harness> {
  const logger = createLogger({
    service: 'studio-api',
    level: 'warn',
    destination: new Writable({ write: (_chunk, _encoding, done) => done() }),
  });
  const commerce = await sqliteDataService(createCommerceService);
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const toCommerce = inProcessInvoke(commerce.service.handler);
  const commerceRequests: RpcRequest[] = [];
  const app = await createStudioApi({
    commerce: (request, options) => {
      commerceRequests.push(structuredClone(request));
      return toCommerce(request, options);
    },
    accessTokens: new JwtAccessTokenVerifier({
      keys: async () => publicKey,
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['EdDSA'],
    }),
    logger,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  if (address === null || typeof address === 'string') throw new Error('studio-api is not listening on TCP');
  return {
    url: `http://127.0.0.1:${address.port}`,
    commerceRequests,
    tokenFor: (user) =>
      new SignJWT({ roles: user.roles })
        .setProtectedHeader({ alg: 'EdDSA', kid: 'test' })
        .setSubject(user.userId)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey),
    async close() {
      await app.close();
      await commerce.stop();
    },
  };
}

export interface Answer {
  status: number;
  headers: Headers;
  // Tests walk arbitrary JSON answers (problem members, course views); typing each shape adds nothing.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export async function call(
  harness: Harness,
  method: string,
  path: string,
  options: { body?: unknown; token?: string; ifMatch?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.ifMatch !== undefined) headers['if-match'] = options.ifMatch;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
  const response = await fetch(`${harness.url}${path}`, { method, headers, body });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? undefined : JSON.parse(text),
  };
}

export const newInstructor = () => ({ userId: newId(), roles: ['learner', 'instructor'] });
export const newLearner = () => ({ userId: newId(), roles: ['learner'] });

/** studio-api and a token for a new instructor, as most suites begin. */
export async function startStudioApiForInstructor(): Promise<{ api: Harness; token: string }> {
  const api = await startStudioApi();
  return { api, token: await api.tokenFor(newInstructor()) };
}
