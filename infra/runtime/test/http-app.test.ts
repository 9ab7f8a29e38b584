import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { Body, Controller, Get, Inject, Module, Post, UseGuards } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { RpcError, z } from '@strata/shared-kernel';
import { SignJWT, generateKeyPair, type CryptoKey } from 'jose';
import {
  ACCESS_TOKEN_VERIFIER,
  BearerAuthGuard,
  Caller,
  createHttpApp,
  createLogger,
  JwtAccessTokenVerifier,
  openApiDocument,
  RuntimeModule,
  ZodValidationPipe,
  type VerifiedCaller,
} from '../src/index.ts';

const Item = z.object({ name: z.string().min(1), tags: z.array(z.string()).max(2).default([]) });
const CALLS = Symbol('calls');

@Controller('items')
class ItemsController {
  readonly #calls: string[];

  constructor(@Inject(CALLS) calls: string[]) {
    this.#calls = calls;
  }

  @Post()
  create(@Body(new ZodValidationPipe(Item, 'body')) item: z.output<typeof Item>) {
    this.#calls.push(item.name);
    return item;
  }

  @Get('rule')
  rule() {
    throw new RpcError('RULE_VIOLATION', 'items cannot be ruled', { reason: 'item-cannot-be-ruled' });
  }

  @Get('bug')
  bug() {
    throw new Error('connect ECONNREFUSED 10.0.0.7:3306 password=hunter2');
  }

  @Get('mine')
  @UseGuards(BearerAuthGuard)
  mine(@Caller() caller: VerifiedCaller) {
    return caller;
  }
}

describe('createHttpApp', () => {
  let app: NestFastifyApplication;
  let url: string;
  let privateKey: CryptoKey;
  const calls: string[] = [];
  const logLines: string[] = [];

  beforeAll(async () => {
    const pair = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    privateKey = pair.privateKey;
    @Module({
      imports: [
        RuntimeModule.forRoot({
          openApi: openApiDocument({
            title: 't',
            version: '1',
            routes: [
              {
                method: 'post',
                path: '/items',
                summary: 'create',
                body: Item,
                responses: { 200: { description: 'ok', schema: Item } },
              },
            ],
          }),
        }),
      ],
      controllers: [ItemsController],
      providers: [
        { provide: CALLS, useValue: calls },
        {
          provide: ACCESS_TOKEN_VERIFIER,
          useValue: new JwtAccessTokenVerifier({
            keys: async () => pair.publicKey,
            issuer: 'iss',
            audience: 'aud',
          }),
        },
      ],
    })
    class TestModule {}
    const logger = createLogger({
      service: 'test',
      destination: new Writable({
        write(chunk, _encoding, done) {
          logLines.push(String(chunk));
          done();
        },
      }),
    });
    app = await createHttpApp(TestModule, { logger, bodyLimitBytes: 1024 });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.getHttpServer().address() as { port: number };
    url = `http://127.0.0.1:${address.port}`;
  });

  afterAll(async () => {
    await app?.close();
  });

  // Tests walk arbitrary JSON answers; typing each shape adds nothing.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type Answer = { status: number; headers: Headers; body: any };

  async function get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
    const response = await fetch(`${url}${path}`, { headers });
    return { status: response.status, headers: response.headers, body: await response.json() };
  }

  async function post(path: string, body: string): Promise<Answer> {
    const response = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    return { status: response.status, headers: response.headers, body: await response.json() };
  }

  it('passes valid input through the pipe with defaults applied', async () => {
    const answer = await post('/items', JSON.stringify({ name: 'a' }));
    expect(answer).toMatchObject({ status: 201, body: { name: 'a', tags: [] } });
  });

  it('refuses invalid input with 400 naming nested fields, without calling the handler', async () => {
    const before = calls.length;
    const answer = await post('/items', JSON.stringify({ name: '', tags: ['a', 4] }));
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.body.errors.map((error: { path: string }) => error.path).sort()).toEqual([
      'body.name',
      'body.tags.1',
    ]);
    expect(calls.length).toBe(before);
  });

  it('answers a body over the limit with 413 and malformed JSON with 400, as problem+json', async () => {
    const big = await post('/items', JSON.stringify({ name: 'x'.repeat(2_000) }));
    expect(big.status).toBe(413);
    expect(big.headers.get('content-type')).toContain('application/problem+json');
    const broken = await post('/items', '{"name":');
    expect(broken.status).toBe(400);
    expect(broken.headers.get('content-type')).toContain('application/problem+json');
  });

  it('answers a rule violation with 422 and the rule code', async () => {
    const answer = await get('/items/rule');
    expect(answer.status).toBe(422);
    expect(answer.body.reason).toBe('item-cannot-be-ruled');
  });

  it('answers an unexpected error with a bare 500, logging the cause under the request id', async () => {
    const answer = await get('/items/bug', { 'x-request-id': 'bug-1' });
    expect(answer.status).toBe(500);
    expect(JSON.stringify(answer.body)).not.toMatch(/ECONNREFUSED|10\.0\.0\.7|hunter2/);
    expect(answer.body.requestId).toBe('bug-1');
    const logged = logLines.find((line) => line.includes('"requestId":"bug-1"'));
    expect(logged).toContain('ECONNREFUSED');
  });

  it('answers an unknown route with 404 problem+json', async () => {
    const answer = await get('/nowhere');
    expect(answer.status).toBe(404);
    expect(answer.body.reason).toBe('route-not-found');
  });

  it('serves /health and /openapi.json', async () => {
    expect(await get('/health')).toMatchObject({ status: 200, body: { status: 'ok', checks: {} } });
    const document = await get('/openapi.json');
    expect(
      document.body.paths['/items'].post.requestBody.content['application/json'].schema.required,
    ).toEqual(['name']);
  });

  it('reads the caller only from a verified bearer token, ignoring gateway identity headers', async () => {
    const forged = await get('/items/mine', { 'x-strata-user-id': 'someone', 'x-strata-roles': 'admin' });
    expect(forged.status).toBe(401);
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ roles: ['learner'] })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setSubject('user-1')
      .setIssuer('iss')
      .setAudience('aud')
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(privateKey);
    const mine = await get('/items/mine', {
      authorization: `Bearer ${token}`,
      'x-strata-user-id': 'someone',
    });
    expect(mine).toMatchObject({ status: 200, body: { userId: 'user-1', roles: ['learner'] } });
    const wrongAudience = await new SignJWT({ roles: [] })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setSubject('user-1')
      .setIssuer('iss')
      .setAudience('elsewhere')
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(privateKey);
    expect((await get('/items/mine', { authorization: `Bearer ${wrongAudience}` })).status).toBe(401);
  });
});
