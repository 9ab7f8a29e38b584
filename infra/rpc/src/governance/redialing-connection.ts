import type { RpcRequest, RpcResponse } from '../protocol.ts';
import { failure } from './failure.ts';
import type { InstanceConnection } from './instance-connection.ts';

/** A transport connection as dialled: it ends ('draining', 'closed') when the server goes away or says goaway. */
export interface DialledConnection extends InstanceConnection {
  readonly state: 'open' | 'draining' | 'closed';
}

/**
 * Turns an async, one-shot transport dial (e.g. `() => connectTcp({...})`) into the long-lived
 * InstanceConnection the invoker keeps per instance: it dials on first use, dials again when the
 * connection has ended, and lets a replaced connection finish its pending calls. A failed dial
 * answers UNAVAILABLE with `retrySafe: true`, so even a non-idempotent call may fail over and
 * the instance's breaker counts the failure.
 */
export class RedialingConnection implements InstanceConnection {
  readonly #dial: () => Promise<DialledConnection>;
  readonly #target: string;
  #current: DialledConnection | undefined;
  #dialling: Promise<DialledConnection> | undefined;
  #waiting = 0;
  #closed = false;

  /** `target` names the instance in error messages, e.g. 'catalog-service c1 at 10.0.0.5:7400'. */
  constructor(dial: () => Promise<DialledConnection>, target: string) {
    this.#dial = dial;
    this.#target = target;
  }

  /** Whatever the connection dialled says; before the first dial, false. */
  get enforcesDeadline(): boolean {
    return this.#current?.enforcesDeadline === true;
  }

  get pending(): number {
    return (this.#current?.pending ?? 0) + this.#waiting;
  }

  call(request: RpcRequest, signal?: AbortSignal): Promise<RpcResponse> {
    // The common case, on every call: the connection is up, so no await (and no promise) of ours.
    const current = this.#current;
    if (!this.#closed && current !== undefined && current.state === 'open')
      return current.call(request, signal);
    return this.#dialAndCall(request, signal);
  }

  async #dialAndCall(request: RpcRequest, signal?: AbortSignal): Promise<RpcResponse> {
    if (this.#closed)
      return failure('UNAVAILABLE', `connection to ${this.#target} is closed`, { retrySafe: true });
    let connection: DialledConnection;
    this.#waiting += 1;
    try {
      connection = await this.#open();
    } catch (error) {
      return failure('UNAVAILABLE', `cannot connect to ${this.#target}: ${(error as Error).message}`, {
        retrySafe: true,
      });
    } finally {
      this.#waiting -= 1;
    }
    signal?.throwIfAborted();
    return connection.call(request, signal);
  }

  async close(): Promise<void> {
    this.#closed = true;
    const current = this.#current ?? (await this.#dialling?.catch(() => undefined));
    this.#current = undefined;
    await current?.close();
  }

  #open(): Promise<DialledConnection> {
    if (this.#current !== undefined && this.#current.state === 'open') return Promise.resolve(this.#current);
    if (this.#dialling === undefined) {
      const ended = this.#current;
      this.#current = undefined;
      // A draining connection still answers what it took; closing it lets those calls finish first.
      if (ended !== undefined) void ended.close().catch(() => {});
      this.#dialling = this.#dial().then(
        (connection) => {
          this.#dialling = undefined;
          if (this.#closed) {
            void connection.close().catch(() => {});
            throw new Error('connection closed while dialling');
          }
          this.#current = connection;
          return connection;
        },
        (error: unknown) => {
          this.#dialling = undefined;
          throw error;
        },
      );
    }
    return this.#dialling;
  }
}
