import { problemType } from '@strata/shared-kernel';
import type { GatewayResponse } from './http-surface.ts';

/** An RFC 9457 problem the gateway answers itself; `type` is a stable URI clients can switch on, of the same scheme the apps use. */
export interface Problem {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export function problem(
  status: number,
  code: string,
  title: string,
  detail: string,
  headers?: Record<string, string>,
): Problem {
  return { status, type: problemType(code), title, detail, ...(headers ? { headers } : {}) };
}

/** Writes the problem as application/problem+json; `instance` is the request id so an operator can find the log line. */
export function sendProblem(
  res: GatewayResponse,
  value: Problem,
  requestId: string,
  extraHeaders: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({
    type: value.type,
    title: value.title,
    status: value.status,
    detail: value.detail,
    instance: `urn:strata:request:${requestId}`,
  });
  res.writeHead(value.status, {
    ...extraHeaders,
    ...value.headers,
    'content-type': 'application/problem+json',
    'content-length': Buffer.byteLength(body),
    'x-request-id': requestId,
  });
  res.end(body);
}
