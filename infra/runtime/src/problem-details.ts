import { isErrorCode, problemType, type ErrorCode, type RpcError } from '@strata/shared-kernel';

/** RFC 9457 problem details, as every Strata HTTP API answers an error. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  /** The domain rule that refused (RULE_VIOLATION, CONFLICT, …), stable across releases. */
  reason?: string;
  /**
   * The refused fields: `{ path: 'body.email', message }` for INVALID_ARGUMENT, and the field a
   * domain rule points at (`body.courses.0.expectedPrice`) for any refusal that names one.
   */
  errors?: { path: string; message: string; code?: string }[];
  requestId?: string;
}

export interface ProblemResponse {
  problem: ProblemDetails;
  headers: Record<string, string>;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const STATUS: Record<ErrorCode, { status: number; title: string }> = {
  INVALID_ARGUMENT: { status: 400, title: 'Invalid request' },
  UNAUTHENTICATED: { status: 401, title: 'Unauthenticated' },
  PERMISSION_DENIED: { status: 403, title: 'Permission denied' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  CONFLICT: { status: 409, title: 'Conflict' },
  RULE_VIOLATION: { status: 422, title: 'Business rule violated' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  UNAVAILABLE: { status: 503, title: 'Service unavailable' },
  DEADLINE_EXCEEDED: { status: 504, title: 'Deadline exceeded' },
  UNIMPLEMENTED: { status: 501, title: 'Not implemented' },
  INTERNAL: { status: 500, title: 'Internal error' },
};

function typeOf(code: string, reason: string | undefined): string {
  return problemType(reason ?? code);
}

/**
 * Maps a typed error to problem+json. INTERNAL never carries the error's message: it may hold
 * internals (SQL, stack, hostnames); the operator finds the cause in the log by request id.
 */
export function problemFromRpcError(error: RpcError): ProblemResponse {
  const code: ErrorCode = isErrorCode(error.code) ? error.code : 'INTERNAL';
  // A command refused for a stale If-Match failed its HTTP precondition (RFC 9110 §13.1.1).
  const { status, title } =
    code === 'CONFLICT' && error.reason === 'aggregate-version-mismatch'
      ? { status: 412, title: 'Precondition failed' }
      : STATUS[code];
  const problem: ProblemDetails = {
    type: typeOf(code, code === 'INTERNAL' ? undefined : error.reason),
    title,
    status,
    detail:
      code === 'INTERNAL'
        ? 'the server failed to answer; it logged the cause under this request id'
        : error.message,
  };
  if (error.reason !== undefined && code !== 'INTERNAL') problem.reason = error.reason;
  if (error.issues.length > 0 && code !== 'INTERNAL') {
    problem.errors = error.issues.map((issue) => ({
      path: issue.path.join('.') || '(root)',
      message: issue.message,
      ...(issue.code === undefined ? {} : { code: issue.code }),
    }));
  }
  const headers: Record<string, string> = {};
  const retryAfterMs = error.details?.['retryAfterMs'];
  if (typeof retryAfterMs === 'number' && (code === 'RATE_LIMITED' || code === 'UNAVAILABLE')) {
    headers['retry-after'] = String(Math.max(1, Math.ceil(retryAfterMs / 1000)));
  }
  if (code === 'UNAUTHENTICATED') headers['www-authenticate'] = 'Bearer error="invalid_token"';
  return { problem, headers };
}

/** A problem for an HTTP-level refusal that never reached a handler (unknown route, body too large, bad JSON). */
export function httpProblem(status: number, detail: string, reason: string): ProblemResponse {
  return {
    problem: { type: typeOf('', reason), title: httpTitle(status), status, detail, reason },
    headers: {},
  };
}

function httpTitle(status: number): string {
  switch (status) {
    case 400:
      return 'Invalid request';
    case 404:
      return 'Not found';
    case 405:
      return 'Method not allowed';
    case 413:
      return 'Payload too large';
    case 415:
      return 'Unsupported media type';
    case 428:
      return 'Precondition required';
    default:
      return 'Request refused';
  }
}
