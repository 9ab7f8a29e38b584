import { createConnection, type Socket } from 'node:net';
import { respCommand } from './resp-command.ts';
import type { RespEndpoint } from './resp-endpoint.ts';
import { RespError, RespReader, type RespReply } from './resp-reader.ts';

/** Told a command's reply (a RespError is Redis refusing it), or why no reply will come. */
export type RespAnswered = (failure: Error | null, reply: RespReply) => void;

/** Connection losses a command outlives (sent again each time) before it fails, as ioredis' maxRetriesPerRequest. */
const MAX_RETRIES = 2;
/** Reconnect backoff: this much more per consecutive failure, at most BACKOFF_CAP_MS (ioredis' default). */
const BACKOFF_STEP_MS = 50;
const BACKOFF_CAP_MS = 2_000;

interface InFlight {
  readonly command: string;
  readonly answered: RespAnswered;
  /** Connections lost (or not made) while this command waited for its reply. */
  losses: number;
}

/**
 * One socket to Redis that carries one command at a time, for the visit ledger's group commits
 * (ADR 0080). It keeps what ioredis gave the ledger: it reconnects with a backoff, authenticates
 * and selects the database again, and sends the command whose reply a lost connection took with
 * it again (the commit memory makes the repeat harmless), up to MAX_RETRIES losses, after which
 * the command fails with the address and the last cause. A command sent while the connection is
 * down waits for it under the same bound.
 */
export class RespConnection {
  readonly #endpoint: RespEndpoint;
  readonly #reader = new RespReader((reply) => this.#onReply(reply));
  #socket: Socket | undefined;
  #ready = false;
  /** The handshake's commands (AUTH, SELECT) whose replies are still to come, by name. */
  #handshake: string[] = [];
  #inFlight: InFlight | undefined;
  #failures = 0;
  #lastCause = 'not connected yet';
  #retry: NodeJS.Timeout | undefined;
  #closed = false;
  #onceReady: ((failure: Error | null) => void) | undefined;

  private constructor(endpoint: RespEndpoint) {
    this.#endpoint = endpoint;
  }

  /** Connected, authenticated and on its database; or why not, after MAX_RETRIES attempts more. */
  static async open(endpoint: RespEndpoint): Promise<RespConnection> {
    const connection = new RespConnection(endpoint);
    let attempts = 0;
    await new Promise<void>((resolve, reject) => {
      connection.#onceReady = (failure) => {
        if (failure === null) resolve();
        else if ((attempts += 1) > MAX_RETRIES) {
          connection.close();
          reject(failure);
        }
      };
      connection.#connect();
    });
    connection.#onceReady = undefined;
    return connection;
  }

  /** Sends `command` (whole RESP, respCommand); one at a time: the next only once this one is answered. */
  send(command: string, answered: RespAnswered): void {
    if (this.#inFlight !== undefined) throw new Error('a RESP connection carries one command at a time');
    if (this.#closed) {
      answered(new Error(`the connection to Redis at ${this.#endpoint.address} is closed`), null);
      return;
    }
    this.#inFlight = { command, answered, losses: 0 };
    if (this.#ready) this.#socket!.write(command);
  }

  /** Ends the connection; a command still waiting fails. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#retry);
    this.#socket?.end();
    this.#fail(new Error(`the connection to Redis at ${this.#endpoint.address} was closed before the reply`));
  }

  #connect(): void {
    const { host, port, auth, db } = this.#endpoint;
    const socket = createConnection({ host, port });
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.on('connect', () => {
      this.#handshake = [];
      let handshake = '';
      if (auth !== undefined) {
        this.#handshake.push('AUTH');
        handshake += respCommand(['AUTH', ...auth]);
      }
      if (db !== 0) {
        this.#handshake.push('SELECT');
        handshake += respCommand(['SELECT', db]);
      }
      if (handshake === '') this.#becomeReady();
      else socket.write(handshake);
    });
    socket.on('data', (chunk: Buffer) => {
      if (socket !== this.#socket) return;
      try {
        this.#reader.push(chunk);
      } catch (error) {
        this.#lastCause = (error as Error).message;
        socket.destroy();
      }
    });
    socket.on('error', (error) => {
      this.#lastCause = error.message;
    });
    socket.on('close', () => {
      if (socket === this.#socket) this.#lost();
    });
  }

  #becomeReady(): void {
    this.#ready = true;
    this.#failures = 0;
    this.#onceReady?.(null);
    // A command whose reply the last connection lost, or one sent while it was down.
    if (this.#inFlight !== undefined) this.#socket!.write(this.#inFlight.command);
  }

  #onReply(reply: RespReply): void {
    const step = this.#handshake.shift();
    if (step !== undefined) {
      if (reply instanceof RespError) {
        // Reconnecting cannot mend a refused password or database; it is tried again all the same,
        // as ioredis does, in case the server's configuration is what changes.
        this.#lastCause = `Redis refused ${step}: ${reply.message}`;
        this.#socket?.destroy();
      } else if (this.#handshake.length === 0) {
        this.#becomeReady();
      }
      return;
    }
    const inFlight = this.#inFlight;
    if (inFlight === undefined) {
      // Out of step with Redis: drop the connection rather than hand a reply to the wrong command.
      this.#lastCause = 'a reply no command was waiting for';
      this.#socket?.destroy();
      return;
    }
    this.#inFlight = undefined;
    inFlight.answered(null, reply);
  }

  #lost(): void {
    this.#ready = false;
    this.#socket = undefined;
    this.#reader.reset();
    if (this.#closed) return;
    this.#onceReady?.(new Error(`Redis at ${this.#endpoint.address}: ${this.#lastCause}`));
    if (this.#closed) return;
    const inFlight = this.#inFlight;
    if (inFlight !== undefined && (inFlight.losses += 1) > MAX_RETRIES) {
      this.#fail(
        new Error(
          `Redis at ${this.#endpoint.address} did not answer a command over ${inFlight.losses} connections ` +
            `(last: ${this.#lastCause}); it may have run`,
        ),
      );
    }
    this.#failures += 1;
    this.#retry = setTimeout(
      () => this.#connect(),
      Math.min(this.#failures * BACKOFF_STEP_MS, BACKOFF_CAP_MS),
    );
  }

  #fail(failure: Error): void {
    const inFlight = this.#inFlight;
    this.#inFlight = undefined;
    inFlight?.answered(failure, null);
  }
}
