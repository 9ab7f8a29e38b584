import { randomInt } from 'node:crypto';
import { mediaType, sendRaw, type RawOutcome, type RawRequest } from './raw-http.ts';

// JSON calls over the raw client, each from a source address of its own choosing: the gateway
// limits anonymous clients per address, and the suite's clients are many users, not one.

export interface JsonAnswer {
  status: number;
  contentType: string | undefined;
  // Arbitrary JSON answers (token pairs, course pages); typing each adds nothing here.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  /** The Retry-After header of a 429 or 503, in seconds. */
  retryAfterSeconds: number | undefined;
}

/** A loopback address in 127.64.0.0/10, fresh per call unless one is given. */
export function someAddress(): string {
  return `127.${64 + randomInt(64)}.${randomInt(256)}.${1 + randomInt(254)}`;
}

export async function callJson(
  port: number,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; from?: string; ifMatch?: string } = {},
): Promise<JsonAnswer> {
  const headers: [string, string][] = [];
  if (options.token !== undefined) headers.push(['authorization', `Bearer ${options.token}`]);
  if (options.ifMatch !== undefined) headers.push(['if-match', options.ifMatch]);
  let body: Buffer | undefined;
  if (options.body !== undefined) {
    body = Buffer.from(JSON.stringify(options.body));
    headers.push(['content-type', 'application/json'], ['content-length', String(body.length)]);
  }
  const outcome = await sendRaw(port, {
    method,
    target: path,
    headers,
    body,
    localAddress: options.from ?? someAddress(),
  });
  if (outcome.kind !== 'answer') throw new Error(`${method} ${path}: ${describeOutcome(outcome)}`);
  const text = outcome.response.body.toString('utf8');
  return {
    status: outcome.response.status,
    contentType: mediaType(outcome.response),
    body: text === '' ? undefined : JSON.parse(text),
    retryAfterSeconds:
      outcome.response.headers['retry-after'] === undefined
        ? undefined
        : Number(outcome.response.headers['retry-after']),
  };
}

export function describeOutcome(outcome: RawOutcome): string {
  if (outcome.kind === 'timeout') return 'no answer before the client gave up';
  if (outcome.kind === 'closed') return `connection closed without an answer (${outcome.detail})`;
  const { status, headers, body } = outcome.response;
  return `${status} ${headers['content-type'] ?? '(no content-type)'} ${body.toString('utf8').slice(0, 200)}`;
}

export function sendFrom(port: number, request: RawRequest): Promise<RawOutcome> {
  return sendRaw(port, { ...request, localAddress: request.localAddress ?? someAddress() });
}
