import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Body, Controller, Get, Inject, Module, Param, Post } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { PROBLEM_TYPE_BASE, z } from '@strata/shared-kernel';
import { pino } from 'pino';
import { createHttpApp, openApiDocument, RuntimeModule, ZodValidationPipe } from '../src/index.ts';

const Item = z.object({ name: z.string().min(1) });
const CREATED = Symbol('created');

@Controller('items')
class ItemsController {
  readonly #created: string[];

  constructor(@Inject(CREATED) created: string[]) {
    this.#created = created;
  }

  @Post()
  create(@Body(new ZodValidationPipe(Item, 'body')) item: z.output<typeof Item>) {
    this.#created.push(item.name);
    return item;
  }

  @Get(':itemId')
  one(@Param('itemId') itemId: string) {
    return { itemId };
  }
}

const created: string[] = [];
let app: NestFastifyApplication;
let port: number;

beforeAll(async () => {
  @Module({
    imports: [RuntimeModule.forRoot({ openApi: openApiDocument({ title: 't', version: '1', routes: [] }) })],
    controllers: [ItemsController],
    providers: [{ provide: CREATED, useValue: created }],
  })
  class TestModule {}
  app = await createHttpApp(TestModule, { logger: pino({ level: 'silent' }), bodyLimitBytes: 1024 });
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.getHttpServer().address() as { port: number }).port;
});

afterAll(async () => {
  await app?.close();
});

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Writes the request bytes as given (no client library tidies them) and reads the answer to the close. */
function raw(request: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(request));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const [statusLine, ...headerLines] = text.slice(0, split).split('\r\n');
      const headers = Object.fromEntries(
        headerLines.map((line) => {
          const colon = line.indexOf(':');
          return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
        }),
      );
      resolve({ status: Number(statusLine?.split(' ')[1]), headers, body: text.slice(split + 4) });
    });
  });
}

function request(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body = '',
): Promise<RawAnswer> {
  const lines = Object.entries({
    host: '127.0.0.1',
    connection: 'close',
    ...(body === '' ? {} : { 'content-length': String(Buffer.byteLength(body)) }),
    ...headers,
  }).map(([name, value]) => `${name}: ${value}\r\n`);
  return raw(`${method} ${path} HTTP/1.1\r\n${lines.join('')}\r\n${body}`);
}

function expectProblem(answer: RawAnswer, status: number, reason: string): Record<string, unknown> {
  expect(answer.status).toBe(status);
  expect(answer.headers['content-type']).toMatch(/^application\/problem\+json(;|$)/);
  const problem = JSON.parse(answer.body) as Record<string, unknown>;
  expect(problem).toMatchObject({ status, type: `${PROBLEM_TYPE_BASE}${reason}` });
  expect(typeof problem['title']).toBe('string');
  expect(typeof problem['detail']).toBe('string');
  return problem;
}

describe("the framework's own refusals are problem+json of the one type scheme", () => {
  it('414 for a path parameter over 100 characters', async () => {
    expectProblem(await request('GET', `/items/${'a'.repeat(101)}`), 414, 'path-parameter-too-long');
  });

  it('413 for a body over the limit', async () => {
    const body = JSON.stringify({ name: 'x'.repeat(2_000) });
    expectProblem(
      await request('POST', '/items', { 'content-type': 'application/json' }, body),
      413,
      'body-too-large',
    );
  });

  it.each([
    ['application/x-www-form-urlencoded', 'name=formed'],
    ['text/plain', 'name=plain'],
    [
      'multipart/form-data; boundary=x',
      '--x\r\ncontent-disposition: form-data; name="name"\r\n\r\nmulti\r\n--x--\r\n',
    ],
    ['application/xml', '<name>xml</name>'],
  ])('415 for a %s body, which creates nothing', async (contentType, body) => {
    const before = created.length;
    expectProblem(
      await request('POST', '/items', { 'content-type': contentType }, body),
      415,
      'unsupported-media-type',
    );
    expect(created.length).toBe(before);
  });

  it('404 for an unknown route', async () => {
    expectProblem(await request('GET', '/nowhere'), 404, 'route-not-found');
  });

  it('405 with Allow for a known path asked with a method no route serves', async () => {
    const answer = await request('DELETE', '/items');
    expectProblem(answer, 405, 'method-not-allowed');
    expect(answer.headers['allow']).toBe('POST');
  });

  it('400 for malformed JSON and for an empty JSON body', async () => {
    expectProblem(
      await request('POST', '/items', { 'content-type': 'application/json' }, '{"name":'),
      400,
      'malformed-json',
    );
    expectProblem(
      await request('POST', '/items', { 'content-type': 'application/json', 'content-length': '0' }),
      400,
      'malformed-json',
    );
  });

  it('400 for a path with a broken percent-encoding', async () => {
    expectProblem(await request('GET', '/items/%E0%A4%A'), 400, 'bad-url');
  });

  it('431 for a request head over the size limit (too many or too large headers)', async () => {
    const headers = Object.fromEntries(
      Array.from({ length: 400 }, (_, i) => [`x-filler-${i}`, 'y'.repeat(60)]),
    );
    expectProblem(await request('GET', '/items/a', headers), 431, 'headers-too-large');
  });

  it('400 for a request head the parser cannot read', async () => {
    expectProblem(
      await raw('GET /items/a HTTP/1.1\r\nhost: x\r\nbad header line\r\n\r\n'),
      400,
      'malformed-request',
    );
  });

  it('leaves documented JSON requests working', async () => {
    const answer = await request(
      'POST',
      '/items',
      { 'content-type': 'application/json; charset=utf-8' },
      '{"name":"ok"}',
    );
    expect(answer.status).toBe(201);
    expect(created).toContain('ok');
  });
});
