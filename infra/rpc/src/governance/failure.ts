import type { ErrorCode } from '@strata/shared-kernel';
import { isRetrySafeFailure, type RpcResponse } from '../protocol.ts';

export type FailedResponse = Extract<RpcResponse, { ok: false }>;

export function failure(code: ErrorCode, message: string, details?: Record<string, unknown>): FailedResponse {
  return { ok: false, error: details === undefined ? { code, message } : { code, message, details } };
}

/**
 * UNAVAILABLE is the only failure worth another try. A call that may have reached the server
 * is only repeated when repeating is harmless; one the server cannot have seen
 * (`retrySafe: true`) may go elsewhere whatever it is.
 */
export function mayTryAgain(response: FailedResponse, repeatable: boolean): boolean {
  if (response.error.code !== 'UNAVAILABLE') return false;
  return repeatable || isRetrySafeFailure(response);
}

/** The same failure, its message saying why no further attempt was made. */
export function annotated(response: FailedResponse, note: string): FailedResponse {
  return { ok: false, error: { ...response.error, message: `${response.error.message} (${note})` } };
}
