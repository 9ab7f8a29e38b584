import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { problemType } from '@strata/shared-kernel';
import { PROBLEM_CONTENT_TYPE } from './problem-details.ts';

/**
 * Fastify's `clientErrorHandler`: a request Node's parser refused (head too large, malformed,
 * too slow) never becomes a request object, so its answer is written on the socket itself, as
 * problem+json like every other error of the app, and the connection is closed.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, detail] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'headers-too-large', 'the request head is larger than this server accepts']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request-timeout', 'the request did not arrive in time']
        : [400, 'malformed-request', `the request could not be parsed (${error.code ?? 'parse error'})`];
  const title = STATUS_CODES[status]!;
  const body = JSON.stringify({
    type: problemType(reason),
    title,
    status,
    detail,
    reason,
    requestId: randomUUID(),
  });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${title}\r\ncontent-type: ${PROBLEM_CONTENT_TYPE}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
