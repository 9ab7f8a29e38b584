import type { ErrorCode } from '@strata/shared-kernel';
import type { RpcResponse, SerializedError } from '../protocol.ts';

export function failure(code: ErrorCode, message: string, details?: Record<string, unknown>): RpcResponse {
  const error: SerializedError = details === undefined ? { code, message } : { code, message, details };
  return { ok: false, error };
}

/**
 * `retrySafe: true` guarantees no handler ran the call (it was never sent, or the server refused
 * it unprocessed), so even a non-idempotent call may be sent to another instance.
 */
export function unavailable(message: string, retrySafe: boolean): RpcResponse {
  return failure('UNAVAILABLE', message, { retrySafe });
}
