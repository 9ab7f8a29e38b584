import type { FanOut } from './fan-out.ts';

/** One process (embedded mode, unit tests): publishing reaches this process's hub only. */
export class MemoryFanOut implements FanOut {
  readonly #subscribed = new Set<string>();
  #listener: ((stream: string, message: string) => void) | undefined;

  async subscribe(stream: string): Promise<void> {
    this.#subscribed.add(stream);
  }

  async unsubscribe(stream: string): Promise<void> {
    this.#subscribed.delete(stream);
  }

  async publish(stream: string, message: string): Promise<void> {
    // Asynchronous like a broker: the publisher never runs the hub's delivery on its own stack.
    if (this.#subscribed.has(stream)) queueMicrotask(() => this.#listener?.(stream, message));
  }

  onMessage(listener: (stream: string, message: string) => void): void {
    this.#listener = listener;
  }

  onResubscribed(): void {
    // Nothing is ever lost in memory.
  }

  async close(): Promise<void> {
    this.#subscribed.clear();
  }
}
