import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import { tracingIsOn } from '@strata/telemetry';
import type { DeliveredMessage, EventBroker } from './event-broker.ts';
import {
  InvalidEnvelopeError,
  parseEnvelope,
  type EventEnvelope,
  type EventSchemaLookup,
} from './event-envelope.ts';
import { deadLetterTopicFor } from './event-catalog.ts';
import { messageBody } from './event-message.ts';
import type { Inbox } from './inbox.ts';
import { inProcessSpan } from './messaging-spans.ts';

export type EventHandler<TSession = unknown> = (envelope: EventEnvelope, session: TSession) => Promise<void>;

export interface EventProcessorOptions<TSession> {
  consumerGroup: string;
  /** Handlers by event type; events of other types are acknowledged and skipped. */
  handlers: Record<string, EventHandler<TSession>>;
  inbox: Inbox<TSession>;
  schema: EventSchemaLookup;
  /** Where failed messages go; the same broker the relay publishes through. */
  deadLetters: EventBroker;
  /** Attempts before a message is dead-lettered, the first included. */
  maxAttempts?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  onError?: (error: unknown, context: string) => void;
}

export type ProcessOutcome = 'handled' | 'duplicate' | 'skipped' | 'dead-lettered';

/** What the consumer runners (Kafka, in-process, replay) feed messages to. */
export interface MessageProcessor {
  readonly consumerGroup: string;
  process(message: DeliveredMessage): Promise<ProcessOutcome>;
}

/**
 * What a consumer does with one message, whatever brought it (Kafka, the in-process broker, a
 * replay): validate against the contract, run the handler once per (group, event id) through the
 * inbox, retry with backoff, and after the last attempt dead-letter it so later messages flow.
 * Resolving means the message may be acknowledged; a rejection (the dead-letter publish itself
 * failed) means it must be delivered again.
 */
export class EventProcessor<TSession = unknown> implements MessageProcessor {
  private readonly options: EventProcessorOptions<TSession>;

  constructor(options: EventProcessorOptions<TSession>) {
    this.options = options;
  }

  get consumerGroup(): string {
    return this.options.consumerGroup;
  }

  process(message: DeliveredMessage): Promise<ProcessOutcome> {
    return tracingIsOn()
      ? inProcessSpan(this.options.consumerGroup, message, () => this.#process(message))
      : this.#process(message);
  }

  async #process(message: DeliveredMessage): Promise<ProcessOutcome> {
    let envelope: EventEnvelope;
    try {
      envelope = parseEnvelope(messageBody(message.value), this.options.schema);
    } catch (error) {
      await this.deadLetter(message, error, 1);
      return 'dead-lettered';
    }
    const handler = this.options.handlers[envelope.type];
    if (!handler) return 'skipped';

    const maxAttempts = this.options.maxAttempts ?? 5;
    let attempts = 0;
    const policy = retry(
      handleWhen((error) => !(error instanceof InvalidEnvelopeError)),
      {
        maxAttempts: maxAttempts - 1,
        backoff: new ExponentialBackoff({
          initialDelay: this.options.initialBackoffMs ?? 100,
          maxDelay: this.options.maxBackoffMs ?? 5_000,
        }),
      },
    );
    try {
      return await policy.execute(() => {
        attempts += 1;
        return this.options.inbox.handleOnce(this.options.consumerGroup, envelope.id, (session) =>
          handler(envelope, session),
        );
      });
    } catch (error) {
      await this.deadLetter(message, error, attempts);
      return 'dead-lettered';
    }
  }

  private async deadLetter(message: DeliveredMessage, error: unknown, attempts: number): Promise<void> {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.options.onError?.(
      error,
      `dead-lettering ${message.topic}[${message.partition}]@${message.offset} for ${this.options.consumerGroup} after ${attempts} attempt(s)`,
    );
    await this.options.deadLetters.publish([
      {
        topic: deadLetterTopicFor(message.topic, this.options.consumerGroup),
        key: message.key,
        value: message.value,
        headers: {
          ...message.headers,
          'dlq-error': reason.slice(0, 4_000),
          'dlq-attempts': String(attempts),
          'dlq-consumer-group': this.options.consumerGroup,
          'dlq-original-topic': message.topic,
          'dlq-original-partition': String(message.partition),
          'dlq-original-offset': message.offset,
        },
      },
    ]);
  }
}
