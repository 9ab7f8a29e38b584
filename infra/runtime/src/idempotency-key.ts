import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { PreconditionProblem } from './if-match.ts';

// Printable, log-safe and short enough to be scoped (`learner:<uuid>:<key>`) within the store's 200 characters.
const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Reads the `Idempotency-Key` header a client sends with a request it may retry (a lost answer, a
 * double click): one key per intended change, the same key on every retry of it. Required where
 * the route says so: a missing key is 400 `idempotency-key-required`, one of another shape 400
 * `idempotency-key-malformed`.
 */
export function idempotencyKeyFrom(
  header: string | string[] | undefined,
  required: boolean,
): string | undefined {
  const value = Array.isArray(header) ? header.join(',') : header?.trim();
  if (value === undefined || value === '') {
    if (!required) return undefined;
    throw new PreconditionProblem(
      400,
      'this request needs an Idempotency-Key header: a fresh unique value (a UUID) per intended change, sent again unchanged on every retry of it',
      'idempotency-key-required',
    );
  }
  if (!IDEMPOTENCY_KEY.test(value)) {
    throw new PreconditionProblem(
      400,
      'Idempotency-Key must be 1 to 128 characters of letters, digits, ".", "_", ":" or "-" (a UUID fits)',
      'idempotency-key-malformed',
    );
  }
  return value;
}

/** `@IdempotencyKey()` optional, `@IdempotencyKey(true)` required: the client's key for this change. */
export const IdempotencyKey = createParamDecorator(
  (required: boolean | undefined, context: ExecutionContext): string | undefined =>
    idempotencyKeyFrom(
      context.switchToHttp().getRequest<FastifyRequest>().headers['idempotency-key'],
      required === true,
    ),
);
