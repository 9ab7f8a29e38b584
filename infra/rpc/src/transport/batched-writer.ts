import type net from 'node:net';

/**
 * Writes frames through a socket corked until the current burst of callbacks has run, so the many
 * frames one event-loop turn produces leave in one writev instead of one syscall each (measured:
 * a syscall per frame took ~60% of CPU at 64 concurrent calls).
 */
export class BatchedWriter {
  readonly #socket: net.Socket;
  #corked = false;

  constructor(socket: net.Socket) {
    this.#socket = socket;
  }

  /** Returns socket.write()'s answer: false means wait for 'drain' before writing more. */
  write(bytes: Buffer): boolean {
    if (!this.#corked) {
      this.#corked = true;
      this.#socket.cork();
      process.nextTick(() => {
        this.#corked = false;
        this.#socket.uncork();
      });
    }
    return this.#socket.write(bytes);
  }
}
