import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { problemType } from '@strata/shared-kernel';

/**
 * The answer to a request Node's parser refused (head too large, malformed, too slow): it never
 * becomes a request object, so its problem+json is written on the socket itself, which is then
 * closed. One answer for every HTTP server of the platform, the apps (as Fastify's
 * `clientErrorHandler`) and the gateway alike; `maxHeaderBytes` lets a 431 say the limit.
 */
export function answerClientError(
  error: NodeJS.ErrnoException,
  socket: Socket,
  maxHeaderBytes?: number,
): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const headTooLarge =
    maxHeaderBytes === undefined
      ? 'the request head is larger than this server accepts'
      : `the request head exceeds ${maxHeaderBytes} bytes`;
  const [status, reason, detail] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'headers-too-large', headTooLarge]
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request-timeout', 'the request did not arrive in time']
        : [400, 'malformed-request', `the request could not be parsed (${error.code ?? 'parse error'})`];
  const title = STATUS_CODES[status]!;
  const requestId = randomUUID();
  const body = JSON.stringify({
    type: problemType(reason),
    title,
    status,
    detail,
    instance: `urn:strata:request:${requestId}`,
    reason,
    requestId,
  });
  socket.end(
    `HTTP/1.1 ${status} ${title}\r\ncontent-type: application/problem+json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}
