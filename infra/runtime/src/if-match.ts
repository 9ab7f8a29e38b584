import {
  createParamDecorator,
  HttpException,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { map, type Observable } from 'rxjs';

/** An HTTP refusal with a stable reason, answered as problem+json like every other error. */
export class PreconditionProblem extends HttpException {
  readonly reason: string;

  constructor(status: 400 | 428, message: string, reason: string) {
    super(message, status);
    this.reason = reason;
  }
}

// One strong or weak entity tag holding an aggregate version: "7" or W/"7".
const VERSION_TAG = /^(?:W\/)?"(\d{1,15})"$/;

/**
 * Reads `If-Match` as the aggregate version the client last saw (RFC 9110 §13.1.1): `"7"` or
 * `W/"7"` → 7; `*` or no header → undefined (no check), unless `required`, where a missing header
 * is 428 so a client cannot overwrite another editor's change by forgetting it.
 */
export function expectedVersionFrom(header: string | undefined, required: boolean): number | undefined {
  const value = header?.trim();
  if (value === undefined || value === '') {
    if (!required) return undefined;
    throw new PreconditionProblem(
      428,
      'this change needs If-Match with the ETag of the version you edited (read it with GET, then send it back)',
      'if-match-required',
    );
  }
  if (value === '*') return undefined;
  const match = VERSION_TAG.exec(value);
  if (match === null) {
    throw new PreconditionProblem(
      400,
      `If-Match must be one ETag as this API sends it, like "7"; got ${JSON.stringify(value.slice(0, 40))}`,
      'if-match-malformed',
    );
  }
  return Number(match[1]);
}

/** `@IfMatch()` optional, `@IfMatch(true)` required: the version the client last saw, for `expectedVersion`. */
export const IfMatch = createParamDecorator(
  (required: boolean | undefined, context: ExecutionContext): number | undefined =>
    expectedVersionFrom(
      context.switchToHttp().getRequest<FastifyRequest>().headers['if-match'],
      required === true,
    ),
);

/** The ETag of a versioned view: its aggregate version, which `If-Match` sends back. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/** Answers every view that carries an aggregate `version` with its ETag. */
@Injectable()
export class VersionETagInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((body: unknown) => {
        const version = (body as { version?: unknown } | null)?.version;
        if (typeof version === 'number') {
          void context.switchToHttp().getResponse<FastifyReply>().header('etag', etagOf(version));
        }
        return body;
      }),
    );
  }
}
