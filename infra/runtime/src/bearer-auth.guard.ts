import {
  createParamDecorator,
  Inject,
  Injectable,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { RpcError } from '@strata/shared-kernel';
import type { FastifyRequest } from 'fastify';
import type { AccessTokenVerifier, VerifiedCaller } from './access-token-verifier.ts';

export const ACCESS_TOKEN_VERIFIER = Symbol('AccessTokenVerifier');

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/;
const CALLER = Symbol('caller');

type AuthenticatedRequest = FastifyRequest & { [CALLER]?: VerifiedCaller };

/**
 * Admits a request only with a valid bearer access token and records who it acts for. The app
 * verifies the token itself even behind the gateway, and ignores `x-strata-user-id` /
 * `x-strata-roles`: anything that reaches the app directly could forge those headers, while a
 * token it can only verify. See infra/runtime/README.md.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  readonly #verifier: AccessTokenVerifier;

  constructor(@Inject(ACCESS_TOKEN_VERIFIER) verifier: AccessTokenVerifier) {
    this.#verifier = verifier;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    if (header === undefined || header === '') {
      throw new RpcError(
        'UNAUTHENTICATED',
        'this route needs a bearer access token in the Authorization header',
        {
          reason: 'access-token-required',
        },
      );
    }
    const match = BEARER.exec(header);
    if (match === null) {
      throw new RpcError('UNAUTHENTICATED', 'the Authorization header must be "Bearer <jwt>"', {
        reason: 'invalid-access-token',
      });
    }
    request[CALLER] = await this.#verifier.verify(match[1]!);
    return true;
  }
}

/**
 * The caller BearerAuthGuard verified for this request. For a guard listed after it (a role check
 * that must refuse before any pipe validates input); handlers take `@Caller()` instead.
 */
export function verifiedCallerOf(context: ExecutionContext): VerifiedCaller {
  const caller = context.switchToHttp().getRequest<AuthenticatedRequest>()[CALLER];
  if (caller === undefined) {
    throw new RpcError('INTERNAL', 'the caller was asked for on a route without BearerAuthGuard before it');
  }
  return caller;
}

/** The verified caller of a route behind BearerAuthGuard; pass it as `caller` in every data-service call. */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext): VerifiedCaller =>
  verifiedCallerOf(context),
);
