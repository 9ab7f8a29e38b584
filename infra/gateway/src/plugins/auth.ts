import type { Exchange } from '../exchange.ts';
import { problem } from '../problem.ts';
import type { TokenVerifier } from '../token-verifier.ts';
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
    return this.#check(exchange, auth.roles);
  }

  async #check(exchange: Exchange, roles: readonly string[]): Promise<Verdict> {
    const verified = await this.#verifier!.verify(exchange.req.headers.authorization);
    if (!verified.ok) return verified.problem;
    const identity = verified.identity;
    exchange.identity = identity;
    const missing = roles.filter((role) => !identity.roles.includes(role));
    if (missing.length === 0) return undefined;
    return problem(
      403,
      'missing-role',
      'Forbidden',
      `route ${exchange.route!.name} needs role(s) ${missing.join(', ')}`,
    );
  }
}
