import type { z } from '@strata/shared-kernel';

/** A caller passed a key, TTL or option the cache cannot use; a programming error, never retried. */
export class CacheArgumentError extends Error {
  readonly issues: { path: string; message: string }[];

  constructor(context: string, error: z.ZodError) {
    const issues = error.issues.map((issue) => ({
      path: issue.path.map(String).join('.') || '(root)',
      message: issue.message,
    }));
    super(`${context}: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`);
    this.name = 'CacheArgumentError';
    this.issues = issues;
  }
}

/** The cache store could not be reached for an operation that must not be skipped (invalidation). */
export class CacheUnavailableError extends Error {
  constructor(operation: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`cache ${operation} failed, the store is unreachable (${reason}); retry once it is back`, {
      cause,
    });
    this.name = 'CacheUnavailableError';
  }
}
