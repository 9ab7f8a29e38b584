/** One message as the broker carries it. `key` is the aggregate id, so one aggregate's events stay in order. */
export interface BrokerMessage {
  topic: string;
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}

/** A message handed to a subscriber, with where it sits in its topic. */
export interface DeliveredMessage extends BrokerMessage {
  partition: number;
  offset: string;
  /** The messaging system it came through, in OpenTelemetry's words (`kafka`), for the consumer's span. */
  system?: string;
}

/**
 * The publishing side of the event transport (Kafka distributed, in-process embedded). `publish`
 * resolves only once the broker has acknowledged every message durably; a rejection means any
 * subset may have been written, and the caller publishes them again (consumers deduplicate).
 */
export interface EventBroker {
  /** The messaging system, in OpenTelemetry's words (`kafka`), for the relay's span; absent in process. */
  readonly system?: string;
  publish(messages: readonly BrokerMessage[]): Promise<void>;
  close(): Promise<void>;
}
