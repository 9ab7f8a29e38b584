import { RpcError, z, type Clock } from '@strata/shared-kernel';
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';

/**
 * Who issues the platform's access tokens and for whom: the same two variables configure
 * account-api, which signs, and every app that verifies.
 */
export const accessTokenEnvShape = {
  STRATA_TOKEN_ISSUER: z.string().min(1).default('strata-account-api'),
  STRATA_TOKEN_AUDIENCE: z.string().min(1).default('strata'),
};

/** The end user a request acts for, as proven by a verified access token. */
export interface VerifiedCaller {
  userId: string;
  roles: string[];
}

export interface AccessTokenVerifier {
  /** Resolves the caller, or throws an UNAUTHENTICATED RpcError saying what is wrong with the token. */
  verify(token: string): Promise<VerifiedCaller>;
}

export interface JwtVerifierOptions {
  /** Where keys come from: `remoteJwks(url)` in another service, account-api's own key ring in account-api. */
  keys: JWTVerifyGetKey;
  issuer: string;
  audience: string;
  /** Only these; `none` and HMAC algorithms can never be allowed by mistake. */
  algorithms?: ('EdDSA' | 'ES256')[];
  clockToleranceSeconds?: number;
  /** What "now" is for expiry; the system clock unless a test pins it. */
  clock?: Clock;
}

/** account-api's published key set, cached, refetched when a token names an unknown `kid` (at most every `cooldownMs`). */
export function remoteJwks(url: string, cooldownMs = 30_000): JWTVerifyGetKey {
  return createRemoteJWKSet(new URL(url), { cooldownDuration: cooldownMs, timeoutDuration: 5_000 });
}

/** Verifies Strata access tokens: signature by a published key, issuer, audience, expiry, subject and roles. */
export class JwtAccessTokenVerifier implements AccessTokenVerifier {
  readonly #options: JwtVerifierOptions;

  constructor(options: JwtVerifierOptions) {
    this.#options = options;
  }

  async verify(token: string): Promise<VerifiedCaller> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.#options.keys, {
        issuer: this.#options.issuer,
        audience: this.#options.audience,
        algorithms: this.#options.algorithms ?? ['EdDSA', 'ES256'],
        clockTolerance: this.#options.clockToleranceSeconds ?? 5,
        requiredClaims: ['sub', 'exp', 'iat'],
        ...(this.#options.clock === undefined ? {} : { currentDate: this.#options.clock.now() }),
      }));
    } catch (error) {
      throw new RpcError('UNAUTHENTICATED', describe(error), { reason: 'invalid-access-token' });
    }
    const roles = payload['roles'];
    if (!Array.isArray(roles) || !roles.every((role) => typeof role === 'string')) {
      throw new RpcError('UNAUTHENTICATED', 'the access token\'s "roles" claim must be an array of strings', {
        reason: 'invalid-access-token',
      });
    }
    return { userId: payload.sub!, roles };
  }
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the access token has expired; refresh it';
  if (error instanceof errors.JWTClaimValidationFailed)
    return `the access token's "${error.claim}" claim is not acceptable: ${error.reason}`;
  if (error instanceof errors.JOSEAlgNotAllowed) return "the access token's signing algorithm is not allowed";
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return 'the access token signature does not verify';
  if (error instanceof errors.JWKSNoMatchingKey) return 'no published key matches the access token (kid)';
  if (error instanceof errors.JWKSTimeout) return "the issuer's key set did not answer in time; try again";
  return 'the access token is not a valid signed JWT';
}
