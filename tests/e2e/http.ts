import { expect } from '@jest/globals';

// The end-to-end journeys speak to the platform only as a client does: JSON over HTTP through the
// gateway. One copy of these helpers, so the embedded and the distributed runs ask the same way.

export interface Answer {
  status: number;
  /** Without parameters (`application/problem+json`), so a test can compare it exactly. */
  contentType: string | null;
  // The tests walk arbitrary JSON answers (token pairs, course pages); typing each adds nothing.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export async function call(
  url: string,
  method: string,
  path: string,
  options: { body?: unknown; token?: string; ifMatch?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.ifMatch !== undefined) headers['if-match'] = options.ifMatch;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
  const response = await fetch(`${url}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  const contentType = response.headers.get('content-type')?.split(';')[0]?.trim() ?? null;
  return { status: response.status, contentType, body: text === '' ? undefined : JSON.parse(text) };
}

/** Logs in through account-api and answers the access token. */
export async function login(url: string, email: string, password: string): Promise<string> {
  const answer = await call(url, 'POST', '/api/account/auth/login', { body: { email, password } });
  expect(answer.status).toBe(200);
  return answer.body.accessToken as string;
}
