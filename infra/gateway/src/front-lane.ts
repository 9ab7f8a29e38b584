import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { FrontRequest, FrontResponse, mergedHeaders, type AnswerOwner } from './front-messages.ts';
import type { GatewayRequest, GatewayResponse } from './http-surface.ts';
import { HTTPParser, methods, type HttpParser } from './node-http-internals.ts';

/*
 * The front lane (ADR 0075): the gateway's common request, read and answered on node:net, without
 * node:http's server objects. Its heads are parsed by node's own llhttp binding, the parser
 * node:http uses, with the same strictness and header size limit. Everything else keeps node:http:
 * a connection whose request the lane does not take is handed to node:http's server for the rest
 * of its life, its unread bytes put back first.
 */

const CRLF2 = Buffer.from('\r\n\r\n');
/** node:http's `maxHeadersCount`: a head with more lines goes to node, which keeps the first ones. */
const MAX_RAW_HEADERS = 4000;
/** Reads one head may take on the lane before it is left to node:http. */
const HEAD_READS_MAX = 4;
/** Bytes read ahead while an answer is being written before the socket stops reading (pipelining). */
const READ_AHEAD_MAX = 65_536;
/** The idle timeouts' sweep: a deadline is never early, and at most two sweeps late. */
const SWEEP_MS = 200;

export type Serve = (req: GatewayRequest, res: GatewayResponse) => void;

export interface FrontLaneOptions {
  readonly serve: Serve;
  readonly maxHeaderBytes: number;
  /** A path the lane leaves to node:http (the local mounts, whose handlers take node's objects). */
  readonly leavesPath: (path: string) => boolean;
  /** node:http's `keepAliveTimeout`: how long a kept-alive connection may wait for its next request. */
  readonly keepAliveTimeoutMs: number;
  /** node:http's `headersTimeout`: how long a new connection may take to send its first request. */
  readonly firstRequestTimeoutMs: number;
}

/**
 * Takes the connections of `server` (node:http's, still the one listening, so its `close()` waits
 * for the lane's connections too) and answers the requests it can; hands the others' connections to
 * node:http's own connection listener.
 */
export class FrontLane {
  readonly #options: FrontLaneOptions;
  readonly #handOver: (socket: Socket) => void;
  readonly #connections = new Set<FrontConnection>();
  stopping = false;
  readonly keepAliveLines: string;
  /**
   * The idle deadlines' clock: performance.now() at the last sweep. A connection's wait for its next
   * request is a deadline the sweep checks, not a socket timeout: node's is a timer to clear when a
   * request comes and to set again when it is answered, and to refresh on every read and write.
   */
  #now = performance.now();

  constructor(server: Server, options: FrontLaneOptions) {
    this.#options = options;
    this.keepAliveLines = `Connection: keep-alive\r\nKeep-Alive: timeout=${Math.floor(options.keepAliveTimeoutMs / 1000)}\r\n`;
    const [nodeListener, ...others] = server.listeners('connection') as ((socket: Socket) => void)[];
    if (nodeListener === undefined || others.length > 0)
      throw new Error('the front lane expects node:http server with its one connection listener');
    server.removeListener('connection', nodeListener);
    this.#handOver = (socket) => nodeListener.call(server, socket);
    server.on('connection', (socket: Socket) => this.#connections.add(new FrontConnection(this, socket)));
    const sweep = setInterval(() => this.#expire(), SWEEP_MS);
    sweep.unref();
    server.once('close', () => clearInterval(sweep));
  }

  /** A deadline `ms` from now on the lane's clock: never early, the clock being at most a sweep behind. */
  deadlineIn(ms: number): number {
    return this.#now + ms + SWEEP_MS;
  }

  #expire(): void {
    const now = (this.#now = performance.now());
    for (const connection of this.#connections) if (now >= connection.deadline) connection.socket.destroy();
  }

  get options(): FrontLaneOptions {
    return this.#options;
  }

  handOver(connection: FrontConnection, socket: Socket): void {
    this.#connections.delete(connection);
    this.#handOver(socket);
  }

  forget(connection: FrontConnection): void {
    this.#connections.delete(connection);
  }

  /** Stopping: idle connections are closed now, the others once their answer is written. */
  closeIdle(): void {
    this.stopping = true;
    for (const connection of this.#connections) connection.closeIfIdle();
  }

  closeAll(): void {
    for (const connection of this.#connections) connection.socket.destroy();
  }
}

/** One client connection on the lane: one request at a time, pipelined ones read ahead and kept. */
class FrontConnection implements AnswerOwner {
  readonly socket: Socket;
  readonly #lane: FrontLane;
  readonly #parser: HttpParser;
  /** Bytes read and not yet parsed. */
  #pending: Buffer | undefined = undefined;
  #current: FrontResponse | undefined = undefined;
  /**
   * While no request is being answered, when the connection is closed for idling (on the lane's
   * clock): node:http's `headersTimeout` for a new connection, its `keepAliveTimeout` after an
   * answer, from the last bytes read. Infinity while a request is answered: an answer may take long.
   */
  deadline: number;
  /** How long it may idle from now on: the first request's timeout until an answer kept it alive. */
  #idleMs: number;
  /** Reads so far of a head not yet whole. */
  #headReads = 0;
  // What the parser told of the head being parsed.
  #headers: string[] | undefined = undefined;
  #url = '';
  #method = '';
  #http10 = false;
  #upgrade = false;
  #keepAlive = false;
  #complete = false;
  readonly #onData = (chunk: Buffer): void => this.#read(chunk);
  readonly #onEnd = (): void => this.#ended();
  readonly #onClose = (): void => this.#closed();
  readonly #onError = (): void => void this.socket.destroy();

  constructor(lane: FrontLane, socket: Socket) {
    this.#lane = lane;
    this.socket = socket;
    const parser = (this.#parser = new HTTPParser());
    parser.initialize(HTTPParser.REQUEST, {}, lane.options.maxHeaderBytes, 0);
    parser[HTTPParser.kOnHeaders] = (headers: string[], url: string) => {
      (this.#headers ??= []).push(...headers);
      this.#url += url;
    };
    parser[HTTPParser.kOnHeadersComplete] = (
      major: number,
      minor: number,
      headers: string[] | undefined,
      method: number,
      url: string | undefined,
      _status: unknown,
      _message: unknown,
      upgrade: boolean,
      keepAlive: boolean,
    ) => {
      if (headers !== undefined) this.#headers = headers;
      if (url !== undefined && url !== '') this.#url = url;
      this.#method = methods[method] ?? '';
      this.#http10 = major !== 1 || minor !== 1;
      this.#upgrade = upgrade;
      this.#keepAlive = keepAlive;
      return 0;
    };
    parser[HTTPParser.kOnBody] = () => {};
    parser[HTTPParser.kOnMessageComplete] = () => {
      this.#complete = true;
    };
    parser[HTTPParser.kOnExecute] = () => {};
    socket.on('data', this.#onData);
    socket.on('end', this.#onEnd);
    socket.on('close', this.#onClose);
    socket.on('error', this.#onError);
    this.#idleMs = lane.options.firstRequestTimeoutMs;
    this.deadline = lane.deadlineIn(this.#idleMs);
  }

  get keepAliveLines(): string {
    return this.#lane.keepAliveLines;
  }

  get closing(): boolean {
    return this.#lane.stopping;
  }

  closeIfIdle(): void {
    if (this.#current === undefined) this.socket.destroy();
  }

  #read(chunk: Buffer): void {
    const pending = this.#pending;
    this.#pending = pending === undefined ? chunk : Buffer.concat([pending, chunk]);
    if (this.#current !== undefined) {
      if (this.#pending.length > READ_AHEAD_MAX) this.socket.pause();
      return;
    }
    // As node's socket timeout was: bytes from the client restart its idle count.
    this.deadline = this.#lane.deadlineIn(this.#idleMs);
    this.#next();
  }

  /** Serves the next whole request in what was read, or hands the connection over. */
  #next(): void {
    const pending = this.#pending;
    if (pending === undefined) return;
    const end = pending.indexOf(CRLF2);
    if (end === -1) {
      // A head over a few reads (larger than a TCP segment) is waited for; a slow or oversized one
      // is node's, whose header timeout bounds it from then on, and which answers 431.
      this.#headReads += 1;
      if (this.#headReads >= HEAD_READS_MAX || pending.length > this.#lane.options.maxHeaderBytes)
        this.#giveUp();
      return;
    }
    this.#headReads = 0;
    const headBytes = end + 4;
    this.#headers = undefined;
    this.#url = '';
    this.#complete = false;
    const parsed = this.#parser.execute(
      headBytes === pending.length ? pending : pending.subarray(0, headBytes),
    );
    const rawHeaders = this.#headers as string[] | undefined;
    // A malformed head, one with a body (unfinished after its head), an upgrade, anything but
    // HTTP/1.x: node:http's server reads it, and answers it as it does today.
    if (typeof parsed !== 'number' || !this.#complete || this.#upgrade || rawHeaders === undefined)
      return this.#giveUp();
    if (rawHeaders.length > MAX_RAW_HEADERS) return this.#giveUp();
    const headers = mergedHeaders(rawHeaders);
    const url = this.#url;
    if (
      headers.host === undefined ||
      headers.expect !== undefined ||
      headers['transfer-encoding'] !== undefined ||
      (headers['content-length'] !== undefined && headers['content-length'] !== '0') ||
      this.#lane.options.leavesPath(pathOf(url))
    )
      return this.#giveUp();
    this.#pending = headBytes === pending.length ? undefined : pending.subarray(headBytes);
    const method = this.#method;
    const http10 = this.#http10;
    const keepAlive = this.#keepAlive && !http10 && !this.#lane.stopping;
    const req = new FrontRequest(method, url, headers, rawHeaders, this.socket);
    const res = new FrontResponse(this, method, http10, keepAlive);
    this.#current = res;
    this.deadline = Infinity;
    this.#lane.options.serve(req, res);
  }

  answered(res: FrontResponse): void {
    this.#current = undefined;
    res.closed();
    if (!res.keepAlive || this.#lane.stopping) {
      this.socket.removeListener('data', this.#onData);
      this.socket.end();
      return;
    }
    if (this.socket.isPaused()) this.socket.resume();
    // Also while a pipelined request's head is still incomplete: its client may never finish it.
    this.#idleMs = this.#lane.options.keepAliveTimeoutMs;
    this.deadline = this.#lane.deadlineIn(this.#idleMs);
    if (this.#pending !== undefined) this.#next();
  }

  /** Gives the connection, from the start of the request not taken, to node:http's server. */
  #giveUp(): void {
    const socket = this.socket;
    socket.removeListener('data', this.#onData);
    socket.removeListener('end', this.#onEnd);
    socket.removeListener('close', this.#onClose);
    socket.removeListener('error', this.#onError);
    this.#parser.close();
    const pending = this.#pending;
    this.#pending = undefined;
    if (pending !== undefined) socket.unshift(pending);
    this.#lane.handOver(this, socket);
  }

  #ended(): void {
    // As node:http (`httpAllowHalfOpen` off): a client that stops sending is gone, and so is the
    // answer it waited for, which then closes unfinished (the proxy attempt is aborted).
    this.socket.removeListener('data', this.#onData);
    if (this.socket.writable) this.socket.end();
  }

  #closed(): void {
    this.#parser.close();
    this.#lane.forget(this);
    const current = this.#current;
    this.#current = undefined;
    current?.closed();
  }
}

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
