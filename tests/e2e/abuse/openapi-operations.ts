import { sendFrom } from './client.ts';

// The operations under attack, read from the OpenAPI documents the applications serve through the
// gateway, as an outside client would read them: nothing here names an operation.

/** The part of JSON Schema 2020-12 (zod 4's output) the suite reads. */
export interface JsonSchema {
  type?: string | string[];
  format?: string;
  pattern?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

export interface Parameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: JsonSchema;
}

export interface Operation {
  /** `PATCH /api/studio/courses/{courseId}`: method and the path as the gateway serves it. */
  id: string;
  method: string;
  template: string;
  parameters: Parameter[];
  body?: JsonSchema;
  authenticated: boolean;
}

/** Where a document is published through the gateway, and a token its route lets through. */
export interface PublishedDocument {
  prefix: string;
  token?: string;
}

interface OpenApiOperation {
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

export async function readOperations(port: number, documents: PublishedDocument[]): Promise<Operation[]> {
  const operations: Operation[] = [];
  for (const { prefix, token } of documents) {
    // From an address of its own, as every client of the suite: the gateway limits anonymous
    // clients per address, and 127.0.0.1's budget may be spent by whoever ran before the suite.
    const outcome = await sendFrom(port, {
      method: 'GET',
      target: `${prefix}/openapi.json`,
      headers: token === undefined ? [] : [['authorization', `Bearer ${token}`]],
    });
    if (outcome.kind !== 'answer' || outcome.response.status !== 200) {
      throw new Error(`${prefix}/openapi.json: ${JSON.stringify(outcome)}`);
    }
    const document = JSON.parse(outcome.response.body.toString('utf8')) as {
      paths: Record<string, Record<string, OpenApiOperation>>;
    };
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const template = `${prefix}${path}`;
        const declared: Parameter[] = (operation.parameters ?? [])
          .filter((parameter) => parameter.in === 'path' || parameter.in === 'query')
          .map((parameter) => ({
            name: parameter.name,
            in: parameter.in as 'path' | 'query',
            required: parameter.required ?? parameter.in === 'path',
            schema: parameter.schema ?? { type: 'string' },
          }));
        // A templated segment is a path parameter whether or not the document declares it.
        for (const [, name] of path.matchAll(/\{([^}]+)\}/g)) {
          if (!declared.some((parameter) => parameter.in === 'path' && parameter.name === name)) {
            declared.push({ name: name!, in: 'path', required: true, schema: { type: 'string' } });
          }
        }
        operations.push({
          id: `${method.toUpperCase()} ${template}`,
          method: method.toUpperCase(),
          template,
          parameters: declared,
          body: operation.requestBody?.content?.['application/json']?.schema,
          authenticated: (operation.security ?? []).length > 0,
        });
      }
    }
  }
  return operations;
}
