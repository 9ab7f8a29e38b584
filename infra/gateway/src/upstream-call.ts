import { upstreamError } from './upstream-error.ts';
import type { UpstreamRequest } from './upstream-request-head.ts';

/**
 * The contract ProxyAttempt keeps with the dispatcher (undici's legacy dispatch handler, which it
 * was written for): `onConnect` first with an abort function, then the head, body chunks and the
 * end, or one error. `onHeaders` and `onData` returning false pause the upstream until `resume`.
 * `onData` is told when its bytes are the body's last (a Content-Length body): `onComplete` follows
 * at once unless an error comes first.
 */
export interface UpstreamHandler {
  onConnect(abort: (reason?: Error) => void): void;
  onHeaders(statusCode: number, rawHeaders: string[], resume: () => void): boolean;
  onData(chunk: Buffer, last: boolean): boolean;
  onComplete(): void;
  onError(error: Error): void;
}

/** The request's own head timeout ran out (UpstreamRequest.headTimeout), with undici's code. */
export function headTimeoutError(call: UpstreamCall): Error {
  return upstreamError('UND_ERR_HEADERS_TIMEOUT', `no response head within ${call.request.headTimeout} ms`);
}

/** One request given to the dispatcher, from dispatch to its end (settled) or its abort. */
export class UpstreamCall {
  readonly request: UpstreamRequest;
  readonly handler: UpstreamHandler;
  readonly head: string;
  /** When its head timeout runs out, on performance.now()'s clock; Infinity when it has none. */
  readonly headDeadline: number;
  /** The connection carrying it, once written; what an abort cuts. */
  connection: { abandon(): void } | undefined = undefined;
  settled = false;

  constructor(request: UpstreamRequest, handler: UpstreamHandler, head: string, headDeadline: number) {
    this.request = request;
    this.handler = handler;
    this.head = head;
    this.headDeadline = headDeadline;
  }

  settle(error: Error | undefined): void {
    if (this.settled) return;
    this.settled = true;
    this.connection = undefined;
    if (error === undefined) this.handler.onComplete();
    else this.handler.onError(error);
  }
}
