import { expect } from '@jest/globals';
import { call } from '@strata/runtime/test-support';

// The end-to-end journeys speak to the platform only as a client does: JSON over HTTP through the
// gateway. One copy of these helpers, so the embedded and the distributed runs ask the same way.

// One request as a client makes it: the runtime's test support, shared with the apps' own tests.
export { call, type Answer } from '@strata/runtime/test-support';

/** Logs in through account-api and answers the access token. */
export async function login(url: string, email: string, password: string): Promise<string> {
  const answer = await call(url, 'POST', '/api/account/auth/login', { body: { email, password } });
  expect(answer.status).toBe(200);
  return answer.body.accessToken as string;
}
