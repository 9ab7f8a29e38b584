import { z } from 'zod';
import { DomainError } from '../domain/domain-error.ts';
import { RpcError } from './rpc-error.ts';
import type { SerializedIssue } from './serialized-error.ts';

/** Zod issues as field paths a caller can point at: `input.title: Too small: expected string to have >=3 characters`. */
export function issuesOf(error: z.ZodError): SerializedIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map((segment) => (typeof segment === 'number' ? segment : String(segment))),
    message: issue.message,
    code: issue.code,
  }));
}

export function invalidArgument(error: z.ZodError, what: string): RpcError {
  const issues = issuesOf(error);
  const summary = issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
  return new RpcError('INVALID_ARGUMENT', `${what} is invalid: ${summary}`, { issues });
}

/** A domain refusal keeps its category as the code and its stable code as the reason. */
export function fromDomainError(error: DomainError): RpcError {
  return new RpcError(error.category, error.message, {
    reason: error.code,
    details: error.details,
    cause: error,
  });
}

/**
 * Any thrown value as a typed error. Typed and domain errors keep what they say; a ZodError
 * thrown past validation is the domain refusing a value; anything else is a bug whose internals
 * (message, stack) must not reach the caller, so it becomes a bare INTERNAL and is logged by whoever
 * calls this.
 */
export function toRpcError(error: unknown): RpcError {
  if (error instanceof RpcError) return error;
  if (error instanceof DomainError) return fromDomainError(error);
  if (error instanceof z.ZodError) return invalidArgument(error, 'a value');
  return new RpcError('INTERNAL', 'internal error; the server logged the cause', { cause: error });
}
