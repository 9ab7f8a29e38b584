import type { ErrorCode } from '../errors/error-code.ts';

/** The platform codes a domain may answer with; the rest (UNAVAILABLE, …) belong to infrastructure. */
export type DomainErrorCategory = Extract<
  ErrorCode,
  'RULE_VIOLATION' | 'NOT_FOUND' | 'CONFLICT' | 'PERMISSION_DENIED' | 'INVALID_ARGUMENT'
>;

export interface DomainErrorOptions {
  category?: DomainErrorCategory;
  details?: Record<string, unknown>;
}

/**
 * A refusal by the domain. `code` is stable and kebab-case (`course-without-lessons-cannot-be-published`):
 * clients, docs and tests key on it, so it never changes once published; the message may.
 */
export class DomainError extends Error {
  readonly code: string;
  readonly category: DomainErrorCategory;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, message: string, options: DomainErrorOptions = {}) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.category = options.category ?? 'RULE_VIOLATION';
    this.details = options.details;
  }

  static notFound(code: string, message: string, details?: Record<string, unknown>): DomainError {
    return new DomainError(code, message, { category: 'NOT_FOUND', details });
  }

  static permissionDenied(code: string, message: string, details?: Record<string, unknown>): DomainError {
    return new DomainError(code, message, { category: 'PERMISSION_DENIED', details });
  }

  static conflict(code: string, message: string, details?: Record<string, unknown>): DomainError {
    return new DomainError(code, message, { category: 'CONFLICT', details });
  }

  static invalid(code: string, message: string, details?: Record<string, unknown>): DomainError {
    return new DomainError(code, message, { category: 'INVALID_ARGUMENT', details });
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
