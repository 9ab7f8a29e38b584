import type { IncomingMessage, ServerResponse } from 'node:http';
import { SimulatorRefusal } from './simulator-refusal.ts';

const MAX_BODY_BYTES = 16 * 1024;

/** The request's body as text, refused past 16 KiB (no payment request is near that). */
export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      throw new SimulatorRefusal(413, 'body-too-large', `the body exceeds ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The JSON body, or a refusal saying it is not JSON; an empty body reads as `{}`. */
export async function readJson(request: IncomingMessage): Promise<unknown> {
  const text = await readBody(request);
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new SimulatorRefusal(400, 'body-not-json', `the body is not JSON: ${(error as Error).message}`);
  }
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

/** RFC 9457 problem details, with the stable `code` clients key on. */
export function sendProblem(response: ServerResponse, refusal: SimulatorRefusal): void {
  const text = JSON.stringify({
    type: `https://payment-simulator.invalid/problems/${refusal.code}`,
    title: refusal.code,
    status: refusal.status,
    detail: refusal.message,
    code: refusal.code,
    ...(refusal.details === undefined ? {} : { details: refusal.details }),
  });
  response.writeHead(refusal.status, {
    'content-type': 'application/problem+json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

export function sendHtml(response: ServerResponse, status: number, html: string): void {
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
  });
  response.end(html);
}
