import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** An HTTP answer as the tests read it: the JSON body parsed (undefined when empty). */
export interface Answer {
  status: number;
  headers: Headers;
  /** Without parameters (`application/problem+json`), so a test can compare it exactly. */
  contentType: string | null;
  // Tests walk arbitrary JSON answers (problem members, views, OpenAPI paths); typing each adds nothing.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface CallOptions {
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as it is (a malformed or hand-written body), as JSON unless `headers` say otherwise. */
  rawBody?: string;
  /** A bearer access token. */
  token?: string;
  ifMatch?: string;
  headers?: Record<string, string>;
}

/** One request to `baseUrl + path`, as a client of the platform's JSON APIs makes it. */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.ifMatch !== undefined) headers['if-match'] = options.ifMatch;
  if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    contentType: response.headers.get('content-type')?.split(';')[0]?.trim() ?? null,
    body: text === '' ? undefined : JSON.parse(text),
  };
}

/** Listens on a free loopback port and answers the app's base URL. */
export async function listenOnFreePort(app: NestFastifyApplication, service: string): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  if (address === null || typeof address === 'string') throw new Error(`${service} is not listening on TCP`);
  return `http://127.0.0.1:${address.port}`;
}
