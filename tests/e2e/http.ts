import { randomUUID } from 'node:crypto';
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

/** The password every journey's new learner registers with. */
export const LEARNER_PASSWORD = 'Correct-Horse-42';

/**
 * Registers a new learner through account-api (`<kind>-<uuid>@example.org`) and logs them in:
 * their email, for a page's login form, and their access token.
 */
export async function registerLearner(
  url: string,
  kind: string,
  displayName: string,
): Promise<{ email: string; token: string }> {
  const email = `${kind}-${randomUUID()}@example.org`;
  const registered = await call(url, 'POST', '/api/account/auth/register', {
    body: { email, password: LEARNER_PASSWORD, displayName },
  });
  expect(registered.status).toBe(201);
  return { email, token: await login(url, email, LEARNER_PASSWORD) };
}

/** The demo seed's instructor, logged in. */
export function demoInstructor(url: string): Promise<string> {
  return login(url, 'instructor@strata.demo', 'Demo-Instructor-42');
}
