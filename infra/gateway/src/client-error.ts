import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { problemType } from '@strata/shared-kernel';

/**
 * The answer to a request Node's parser refused before it became a request (head too large,
 * malformed, too slow to arrive): problem+json written on the socket, which is then closed.
 */
export function answerClientError(
  error: NodeJS.ErrnoException,
  socket: Socket,
  maxHeaderBytes: number,
): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const [status, code, detail] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'headers-too-large', `the request head exceeds ${maxHeaderBytes} bytes`]
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request-timeout', 'the request did not arrive in time']
        : [400, 'malformed-request', `the request could not be parsed (${error.code ?? error.message})`];
  const title = STATUS_CODES[status]!;
  const body = JSON.stringify({
    type: problemType(code),
    title,
    status,
    detail,
    instance: `urn:strata:request:${randomUUID()}`,
  });
  socket.end(
    `HTTP/1.1 ${status} ${title}\r\ncontent-type: application/problem+json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}
