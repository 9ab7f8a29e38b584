import { isErrorCode, type ErrorCode } from './error-code.ts';
import { serializedErrorSchema, type SerializedError, type SerializedIssue } from './serialized-error.ts';

export interface RpcErrorOptions {
  /** A domain rule's stable code, e.g. 'course-without-lessons-cannot-be-published'. */
  reason?: string;
  details?: Record<string, unknown>;
  /** Which input fields were refused and why (INVALID_ARGUMENT). */
  issues?: SerializedIssue[];
  cause?: unknown;
}

/**
 * An error as every caller sees it: a platform code to act on (retry, 404, 409…), the domain
 * rule that refused when there is one, and the refused fields. It crosses the wire intact
 * (`toJSON` / `fromSerialized`) and becomes RFC 9457 problem+json at the edge.
 */
export class RpcError extends Error {
  readonly code: ErrorCode;
  readonly reason: string | undefined;
  readonly details: Record<string, unknown> | undefined;
  readonly issues: SerializedIssue[];

  constructor(code: ErrorCode, message: string, options: RpcErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RpcError';
    this.code = code;
    this.reason = options.reason;
    this.details = options.details;
    this.issues = options.issues ?? [];
  }

  toJSON(): SerializedError {
    return {
      code: this.code,
      message: this.message,
      ...(this.reason === undefined ? {} : { reason: this.reason }),
      ...(this.details === undefined ? {} : { details: this.details }),
      ...(this.issues.length === 0
        ? {}
        : { issues: this.issues.map((issue) => ({ ...issue, path: [...issue.path] })) }),
    };
  }

  /**
   * Rebuilds an error received from another process. A shape or code this version does not know
   * becomes INTERNAL, keeping what arrived in `details.received` for the operator.
   */
  static fromSerialized(serialized: unknown): RpcError {
    const parsed = serializedErrorSchema.safeParse(serialized);
    if (!parsed.success) {
      return new RpcError('INTERNAL', 'the remote side answered with a malformed error', {
        details: { received: serialized },
      });
    }
    const { code, message, reason, details, issues } = parsed.data;
    if (!isErrorCode(code)) {
      return new RpcError(
        'INTERNAL',
        `the remote side answered with unknown error code ${code}: ${message}`,
        {
          reason,
          details: { ...details, receivedCode: code },
          issues,
        },
      );
    }
    return new RpcError(code, message, { reason, details, issues });
  }
}

export function isRpcError(error: unknown): error is RpcError {
  return error instanceof RpcError;
}
