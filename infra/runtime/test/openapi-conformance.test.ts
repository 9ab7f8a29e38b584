import { describe, expect, it } from '@jest/globals';
import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { z } from '@strata/shared-kernel';
import { BearerAuthGuard, openApiDocument, ZodValidationPipe, type ApiRoute } from '../src/index.ts';
import { openApiDiscrepancies } from './support/index.ts';

const Params = z.object({ itemId: z.uuid() });
const Search = z.object({ text: z.string().optional(), limit: z.coerce.number().default(20) });

@Controller('items')
class ItemsController {
  @Get()
  search(@Query(new ZodValidationPipe(Search, 'query')) query: z.output<typeof Search>) {
    return query;
  }

  @Get(':itemId')
  @UseGuards(BearerAuthGuard)
  one(@Param(new ZodValidationPipe(Params, 'params')) params: z.output<typeof Params>) {
    return params;
  }
}

const ok = { 200: { description: 'ok' } };
const complete: ApiRoute[] = [
  { method: 'get', path: '/items', summary: 'search', query: Search, responses: ok },
  {
    method: 'get',
    path: '/items/{itemId}',
    summary: 'one',
    params: Params,
    authenticated: true,
    responses: ok,
  },
];

function check(routes: ApiRoute[], gatewayAuth = false): string[] {
  return openApiDiscrepancies({
    document: openApiDocument({ title: 't', version: '1', routes }) as Parameters<
      typeof openApiDiscrepancies
    >[0]['document'],
    controllers: [ItemsController],
    service: 'items-api',
    gatewayRoutes: [
      {
        prefix: '/api/items',
        service: 'items-api',
        stripPrefix: '/api',
        ...(gatewayAuth ? { plugins: { auth: {} } } : {}),
      },
    ],
  });
}

describe('an OpenAPI document is held to the routes it describes', () => {
  it('finds nothing to say about a complete document', () => {
    expect(check(complete)).toEqual([]);
  });

  it('declares path and query parameters from the schemas, optional where they have a default', () => {
    const document = openApiDocument({ title: 't', version: '1', routes: complete }) as {
      paths: Record<
        string,
        Record<string, { parameters: { name: string; in: string; required: boolean }[] }>
      >;
    };
    expect(
      document.paths['/items']!['get']!.parameters.map(({ name, in: where, required }) => [
        name,
        where,
        required,
      ]),
    ).toEqual([
      ['text', 'query', false],
      ['limit', 'query', false],
    ]);
    expect(document.paths['/items/{itemId}']!['get']!.parameters[0]).toMatchObject({
      name: 'itemId',
      in: 'path',
      required: true,
    });
  });

  it('refuses to build a document whose path template names a parameter the route does not declare', () => {
    expect(() =>
      openApiDocument({
        title: 't',
        version: '1',
        routes: [{ method: 'get', path: '/items/{itemId}', summary: 'one', responses: ok }],
      }),
    ).toThrow(/\{itemId\}/);
  });

  it('names an undeclared query parameter and a missing security requirement', () => {
    const [search, one] = complete as [ApiRoute, ApiRoute];
    expect(
      check([
        { ...search, query: Search.pick({ text: true }) },
        { ...one, authenticated: false },
      ]),
    ).toEqual([
      'GET /items: reads query [limit,text] but the document declares [text]',
      'GET /items/{itemId}: needs login (app guard: true, gateway auth: false) but the document says none',
    ]);
  });

  it('holds security to the gateway route too: a route behind gateway auth needs a login', () => {
    expect(check(complete, true)).toEqual([
      'GET /items: needs login (app guard: false, gateway auth: true) but the document says none',
    ]);
  });
});
