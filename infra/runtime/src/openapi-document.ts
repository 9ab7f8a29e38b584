import { z } from '@strata/shared-kernel';

export interface ApiRoute {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI path template, e.g. `/courses/{id}`. */
  path: string;
  summary: string;
  /** Whether a bearer access token is required; a route without one says so with `security: []`. */
  authenticated?: boolean;
  /** The schema the route validates its path parameters with; it must name every `{param}` of `path`. */
  params?: z.ZodObject;
  /** The schema the route validates its query string with: each key is a query parameter. */
  query?: z.ZodObject;
  /** Request headers the route reads besides the platform's own (Idempotency-Key, a webhook signature). */
  headers?: { name: string; required: boolean; description: string; schema?: z.ZodType }[];
  body?: z.ZodType;
  responses: Record<number, { description: string; schema?: z.ZodType; headers?: string[] }>;
}

export interface ApiDescription {
  title: string;
  version: string;
  description?: string;
  routes: ApiRoute[];
}

const problemSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', format: 'uri' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    reason: { type: 'string', description: 'stable code of the refusing rule' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: { path: { type: 'string' }, message: { type: 'string' }, code: { type: 'string' } },
      },
    },
    requestId: { type: 'string' },
  },
};

/**
 * An OpenAPI 3.1 document from the very zod schemas the routes validate with, so the description
 * cannot drift from what the API accepts. 3.1 schemas are JSON Schema 2020-12, zod 4's default target.
 */
export function openApiDocument(api: ApiDescription): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of api.routes) {
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(route.responses)) {
      responses[status] = {
        description: response.description,
        ...(response.schema === undefined
          ? {}
          : {
              content: {
                'application/json': {
                  schema: z.toJSONSchema(response.schema, { io: 'output', unrepresentable: 'any' }),
                },
              },
            }),
        ...(response.headers === undefined
          ? {}
          : {
              headers: Object.fromEntries(
                response.headers.map((name) => [name, { schema: { type: 'string' } }]),
              ),
            }),
      };
    }
    responses['default'] = {
      description: 'an error, as RFC 9457 problem details',
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    };
    const parameters = [...pathParameters(route), ...queryParameters(route), ...headerParameters(route)];
    paths[route.path] ??= {};
    paths[route.path]![route.method] = {
      summary: route.summary,
      security: route.authenticated ? [{ bearer: [] }] : [],
      ...(parameters.length === 0 ? {} : { parameters }),
      ...(route.body === undefined
        ? {}
        : {
            requestBody: {
              required: true,
              content: {
                'application/json': {
                  schema: z.toJSONSchema(route.body, { io: 'input', unrepresentable: 'any' }),
                },
              },
            },
          }),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: api.title,
      version: api.version,
      ...(api.description ? { description: api.description } : {}),
    },
    paths,
    components: {
      schemas: { Problem: problemSchema },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
}

/** The `{name}`s of an OpenAPI path template. */
export function pathTemplateNames(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!);
}

function parameterSchema(schema: z.ZodType): unknown {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
}

/** Refuses a template whose parameters the route's schema does not match: a document must not drift. */
function pathParameters(route: ApiRoute): Record<string, unknown>[] {
  const names = pathTemplateNames(route.path);
  const shape = route.params?.shape ?? {};
  const declared = Object.keys(shape);
  if (names.length !== declared.length || names.some((name) => !declared.includes(name))) {
    throw new TypeError(
      `${route.method.toUpperCase()} ${route.path}: path template names {${names.join(', ')}} but params declare {${declared.join(', ')}}`,
    );
  }
  return names.map((name) => ({ name, in: 'path', required: true, schema: parameterSchema(shape[name]!) }));
}

function headerParameters(route: ApiRoute): Record<string, unknown>[] {
  return (route.headers ?? []).map(({ name, required, description, schema }) => ({
    name,
    in: 'header',
    required,
    description,
    schema: schema === undefined ? { type: 'string' } : parameterSchema(schema),
  }));
}

function queryParameters(route: ApiRoute): Record<string, unknown>[] {
  return Object.entries(route.query?.shape ?? {}).map(([name, schema]) => ({
    name,
    in: 'query',
    // A default makes a parameter optional to the caller, as does `.optional()`.
    required: !(schema as z.ZodType).safeParse(undefined).success,
    schema: parameterSchema(schema as z.ZodType),
  }));
}
