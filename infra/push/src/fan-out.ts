/**
 * How an item published on one instance reaches every instance holding a connection to its stream.
 * Delivery is at most once and may lose messages (a broker restart); the hub notices a gap from the
 * positions and fills it from storage, and `onResubscribed` tells it when messages may have been
 * lost without any later one to show the gap.
 */
export interface FanOut {
  /** Resolves once messages published to the stream from now on reach the listener. */
  subscribe(stream: string): Promise<void>;
  unsubscribe(stream: string): Promise<void>;
  publish(stream: string, message: string): Promise<void>;
  /** The one listener of this instance (the hub). */
  onMessage(listener: (stream: string, message: string) => void): void;
  /** Called after the fan-out's connection was lost and its subscriptions restored. */
  onResubscribed(listener: () => void): void;
  close(): Promise<void>;
}
