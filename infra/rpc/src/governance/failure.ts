import type { ErrorCode } from '@strata/shared-kernel';
import type { RpcResponse } from '../protocol.ts';

export type FailedResponse = Extract<RpcResponse, { ok: false }>;

export function failure(code: ErrorCode, message: string, details?: Record<string, unknown>): FailedResponse {
  return { ok: false, error: details === undefined ? { code, message } : { code, message, details } };
}
