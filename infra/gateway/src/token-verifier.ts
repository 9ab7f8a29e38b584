import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { problem, type Problem } from './problem.ts';

export interface TokenVerifierOptions {
  /** account-api's JWKS; keys are cached and refetched when a token names an unknown `kid`. */
  readonly jwksUrl: string;
  readonly issuer: string;
  readonly audience: string;
  /** Allow-list; anything else (`none`, HS256 with a public key as secret, …) is refused. */
  readonly algorithms: readonly string[];
  /** Minimum gap between JWKS fetches, so a flood of made-up `kid`s cannot hammer the issuer. */
  readonly jwksCooldownMs: number;
  readonly clockToleranceSeconds: number;
  /**
   * How long a verified token is remembered (never past its `exp`), so a client's repeated
   * requests skip the signature check. Also how long a token signed by a key the issuer has
   * since withdrawn can still pass; 0 turns the cache off.
   */
  readonly verifiedCacheMs?: number;
  /**
   * What `exp` and `nbf` are compared with, remembered tokens' included: ms since the epoch,
   * Date.now unless a test pins time (a number, so a remembered token's check allocates nothing).
   */
  readonly now?: () => number;
}

export interface Identity {
  readonly userId: string;
  readonly roles: readonly string[];
}

export type VerifyResult =
  { readonly ok: true; readonly identity: Identity } | { readonly ok: false; readonly problem: Problem };

const bearerPattern = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/;

function unauthorized(detail: string, error: 'invalid_request' | 'invalid_token'): Problem {
  return problem(
    401,
    error === 'invalid_request' ? 'malformed-authorization' : 'invalid-token',
    'Unauthorized',
    detail,
    {
      'www-authenticate': `Bearer error="${error}", error_description="${detail.replaceAll('"', "'")}"`,
    },
  );
}

/** Verifies access tokens locally against cached keys: no database and no issuer call per request. */
export class TokenVerifier {
  readonly #options: TokenVerifierOptions;
  readonly #keys: ReturnType<typeof createRemoteJWKSet>;
  readonly #verified = new Map<string, { identity: Identity; expiresAt: number; cachedUntil: number }>();
  readonly #cacheMs: number;
  readonly #now: () => number;

  constructor(options: TokenVerifierOptions) {
    this.#options = options;
    this.#cacheMs = options.verifiedCacheMs ?? 30_000;
    this.#now = options.now ?? Date.now;
    this.#keys = createRemoteJWKSet(new URL(options.jwksUrl), {
      cooldownDuration: options.jwksCooldownMs,
      cacheMaxAge: 10 * 60_000,
      timeoutDuration: 5_000,
    });
  }

  /**
   * A plain value when no signature needs checking (a remembered token, a malformed header), so
   * the auth plugin passes a client's repeated requests without a promise or a turn of the event
   * loop; a promise only when the token is new (or its cache entry ran out).
   */
  verify(authorization: string | undefined): VerifyResult | Promise<VerifyResult> {
    if (authorization === undefined || authorization === '') {
      return {
        ok: false,
        problem: unauthorized('this route needs a bearer access token in Authorization', 'invalid_request'),
      };
    }
    const match = bearerPattern.exec(authorization);
    if (match === null) {
      return {
        ok: false,
        problem: problem(
          400,
          'malformed-authorization',
          'Malformed Authorization header',
          'expected "Bearer <header>.<payload>.<signature>" (base64url JWT)',
          {
            'www-authenticate': 'Bearer error="invalid_request"',
          },
        ),
      };
    }
    const token = match[1]!;
    const now = this.#now();
    const cached = this.#verified.get(token);
    if (cached !== undefined) {
      if (now < cached.cachedUntil) return { ok: true, identity: cached.identity };
      this.#verified.delete(token);
      if (now >= cached.expiresAt)
        return { ok: false, problem: unauthorized('the token has expired (exp)', 'invalid_token') };
    }
    return this.#verifySignature(token, now);
  }

  async #verifySignature(token: string, now: number): Promise<VerifyResult> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.#keys, {
        issuer: this.#options.issuer,
        audience: this.#options.audience,
        algorithms: [...this.#options.algorithms],
        clockTolerance: this.#options.clockToleranceSeconds,
        currentDate: new Date(now),
        requiredClaims: ['sub', 'exp'],
      }));
    } catch (error) {
      return { ok: false, problem: unauthorized(describe(error), 'invalid_token') };
    }
    const roles = payload['roles'];
    if (roles !== undefined && !(Array.isArray(roles) && roles.every((role) => typeof role === 'string'))) {
      return {
        ok: false,
        problem: unauthorized('the "roles" claim must be an array of strings', 'invalid_token'),
      };
    }
    const identity: Identity = { userId: payload.sub!, roles: (roles as string[] | undefined) ?? [] };
    if (this.#cacheMs > 0)
      this.#remember(token, identity, (payload.exp! + this.#options.clockToleranceSeconds) * 1000, now);
    return { ok: true, identity };
  }

  #remember(token: string, identity: Identity, expiresAt: number, now: number): void {
    // Bounded: past the limit the oldest entry goes (a Map iterates in insertion order).
    if (this.#verified.size >= 10_000) this.#verified.delete(this.#verified.keys().next().value!);
    this.#verified.set(token, { identity, expiresAt, cachedUntil: Math.min(expiresAt, now + this.#cacheMs) });
  }
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired (exp)';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') return 'the token is not valid yet (nbf)';
    return `claim "${error.claim}" is not acceptable: ${error.reason}`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return "the token's signing algorithm is not allowed";
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the token signature does not verify';
  if (error instanceof errors.JWKSNoMatchingKey) return 'no key of the issuer matches the token (kid)';
  if (error instanceof errors.JWKSTimeout) return "the issuer's key set did not answer in time; try again";
  if (error instanceof errors.JOSEError) return `the token is not valid: ${error.message}`;
  return 'the token is not valid';
}
