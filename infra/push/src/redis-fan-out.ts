import { Redis } from 'ioredis';
import type { FanOut } from './fan-out.ts';

export interface RedisFanOutOptions {
  url: string;
  /** Channels are `<prefix><stream>`, so deployments (and test runs) sharing a Redis stay apart. */
  prefix: string;
  onError?: (error: unknown) => void;
}

/**
 * Redis pub/sub with one channel per stream: an instance subscribes to the streams it holds
 * connections for and receives nothing else, so the traffic an instance sees grows with its own
 * connections, not with the cluster (docs/adr/0023). One subscriber connection and one publisher
 * per instance; ioredis restores the subscriptions after a reconnect and the hub then catches its
 * connections up from storage, since messages published meanwhile are gone.
 */
export class RedisFanOut implements FanOut {
  readonly #prefix: string;
  readonly #subscriber: Redis;
  readonly #publisher: Redis;
  #resubscribed: (() => void) | undefined;

  private constructor(options: RedisFanOutOptions, subscriber: Redis, publisher: Redis) {
    this.#prefix = options.prefix;
    this.#subscriber = subscriber;
    this.#publisher = publisher;
    const report = (error: unknown) => options.onError?.(error);
    subscriber.on('error', report);
    publisher.on('error', report);
    let readyBefore = false;
    subscriber.on('ready', () => {
      if (readyBefore) this.#resubscribed?.();
      readyBefore = true;
    });
  }

  static async connect(options: RedisFanOutOptions): Promise<RedisFanOut> {
    const connect = async () => {
      const redis = new Redis(options.url, { lazyConnect: true, maxRetriesPerRequest: 2 });
      await redis.connect();
      return redis;
    };
    const [subscriber, publisher] = await Promise.all([connect(), connect()]);
    return new RedisFanOut(options, subscriber, publisher);
  }

  async subscribe(stream: string): Promise<void> {
    await this.#subscriber.subscribe(this.#prefix + stream);
  }

  async unsubscribe(stream: string): Promise<void> {
    await this.#subscriber.unsubscribe(this.#prefix + stream);
  }

  async publish(stream: string, message: string): Promise<void> {
    await this.#publisher.publish(this.#prefix + stream, message);
  }

  onMessage(listener: (stream: string, message: string) => void): void {
    const length = this.#prefix.length;
    this.#subscriber.on('message', (channel: string, message: string) => {
      if (channel.startsWith(this.#prefix)) listener(channel.slice(length), message);
    });
  }

  onResubscribed(listener: () => void): void {
    this.#resubscribed = listener;
  }

  async close(): Promise<void> {
    await Promise.all([this.#subscriber.quit(), this.#publisher.quit()]);
  }
}
