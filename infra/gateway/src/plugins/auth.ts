import type { Exchange } from '../exchange.ts';
import { problem } from '../problem.ts';
import type { TokenVerifier, VerifyResult } from '../token-verifier.ts';
import type { GatewayPlugin, Verdict } from './plugin.ts';

/**
 * The route's auth plugin: verifies the bearer token (401) and requires the route's roles (403).
 * The identity it finds is what the proxy forwards and the rate limit keys on.
 */
export class AuthPlugin implements GatewayPlugin {
  readonly name = 'auth';
  readonly #verifier: TokenVerifier | undefined;

  /** Without a verifier no route may ask for auth: the route loader refuses such a file. */
  constructor(verifier: TokenVerifier | undefined) {
    this.#verifier = verifier;
  }

  access(exchange: Exchange): Verdict | Promise<Verdict> {
    const auth = exchange.route!.plugins.auth;
    if (auth === undefined) return undefined;
    const verified = this.#verifier!.verify(exchange.req.headers.authorization);
    // A remembered token is answered synchronously: no promise, no turn of the event loop.
    if (verified instanceof Promise)
      return verified.then((result) => this.#admit(exchange, result, auth.roles));
    return this.#admit(exchange, verified, auth.roles);
  }

  #admit(exchange: Exchange, verified: VerifyResult, roles: readonly string[]): Verdict {
    if (!verified.ok) return verified.problem;
    const identity = verified.identity;
    exchange.identity = identity;
    // Routes name a role or two: a loop, with no array built when the caller has them all.
    let missing: string[] | undefined;
    for (const role of roles) if (!identity.roles.includes(role)) (missing ??= []).push(role);
    if (missing === undefined) return undefined;
    return problem(
      403,
      'missing-role',
      'Forbidden',
      `route ${exchange.route!.name} needs role(s) ${missing.join(', ')}`,
    );
  }
}
