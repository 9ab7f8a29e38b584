import type { IncomingHttpHeaders, OutgoingHttpHeader, OutgoingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';

/*
 * What the pipeline, its plugins and a proxy attempt use of a request and its answer: node:http's
 * IncomingMessage and ServerResponse have it, and so do the front lane's own (front-messages.ts,
 * ADR 0075), so one pipeline serves both.
 */

export interface GatewayRequest {
  readonly method?: string;
  readonly url?: string;
  /** As node:http merges them (`IncomingMessage.prototype._addHeaderLine`). */
  readonly headers: IncomingHttpHeaders;
  readonly socket: Socket;
  /** The whole request, body included, has been read. */
  readonly complete: boolean;
  /** The body's bytes; none on the front lane's requests, which have no body. */
  [Symbol.asyncIterator](): AsyncIterator<unknown>;
}

type ResponseEvent = 'close' | 'finish' | 'drain';

export interface GatewayResponse {
  statusCode: number;
  readonly headersSent: boolean;
  /** The answer was ended and handed to the socket; false on 'close' means the client left first. */
  readonly writableFinished: boolean;
  readonly writableNeedDrain: boolean;
  readonly destroyed: boolean;
  writeHead(statusCode: number, headers?: OutgoingHttpHeaders | OutgoingHttpHeader[]): this;
  setHeader(name: string, value: number | string | readonly string[]): this;
  write(chunk: Buffer | string): boolean;
  end(chunk?: Buffer | string): this;
  destroy(error?: Error): this;
  on(event: ResponseEvent, listener: () => void): this;
  once(event: ResponseEvent, listener: () => void): this;
}
