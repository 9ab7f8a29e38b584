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
  /**
   * Optional: `process` for consecutive messages of one or more partitions, each partition's in
   * order, one outcome each.
   * Resolving means all of them may be acknowledged; a rejection means all must be delivered again.
   */
  processBatch?(messages: readonly DeliveredMessage[]): Promise<ProcessOutcome[]>;
}

interface Handleable<TSession> {
  index: number;
  message: DeliveredMessage;
  envelope: EventEnvelope;
  handler: EventHandler<TSession>;
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

  /**
   * A run of messages through the inbox's batch, when it has one: one transaction records every
   * event id and runs every handler, so a batch costs one commit instead of one per message. If
   * the batch fails (a handler throws, a concurrent redelivery holds an id), nothing of it was
   * recorded and each message is handled alone, with its retries and dead letter (the batch's try
   * counts as the first attempt of the handler that failed in it); so a handler may run again after
   * a later handler of its batch failed, as after any rollback: side effects belong in the session.
   */
  async processBatch(messages: readonly DeliveredMessage[]): Promise<ProcessOutcome[]> {
    const outcomes: ProcessOutcome[] = [];
    if (this.options.inbox.handleBatchOnce === undefined || messages.length < 2) {
      for (const message of messages) outcomes.push(await this.process(message));
      return outcomes;
    }
    let run: Handleable<TSession>[] = [];
    for (const [index, message] of messages.entries()) {
      let envelope: EventEnvelope;
      try {
        envelope = parseEnvelope(messageBody(message.value), this.options.schema);
      } catch {
        // Handled before the invalid one, so what follows it on the partition stays after it.
        await this.#handleRun(run, outcomes);
        run = [];
        outcomes[index] = await this.process(message);
        continue;
      }
      const handler = this.options.handlers[envelope.type];
      if (handler) run.push({ index, message, envelope, handler });
      else outcomes[index] = 'skipped';
    }
    await this.#handleRun(run, outcomes);
    return outcomes;
  }

  async #handleRun(run: readonly Handleable<TSession>[], outcomes: ProcessOutcome[]): Promise<void> {
    const handleBatchOnce = this.options.inbox.handleBatchOnce?.bind(this.options.inbox);
    if (run.length === 0) return;
    if (run.length === 1 || handleBatchOnce === undefined) {
      for (const { index, message } of run) outcomes[index] = await this.process(message);
      return;
    }
    const group = this.options.consumerGroup;
    let failed: { item: Handleable<TSession>; error: unknown } | undefined;
    try {
      const results = await handleBatchOnce(
        group,
        run.map((item) => ({
          eventId: item.envelope.id,
          work: async (session: TSession) => {
            try {
              await (tracingIsOn()
                ? inProcessSpan(group, item.message, async () => {
                    await item.handler(item.envelope, session);
                    return 'handled' as const;
                  })
                : item.handler(item.envelope, session));
            } catch (error) {
              failed = { item, error };
              throw error;
            }
          },
        })),
      );
      results.forEach((result, position) => {
        outcomes[(run[position] as Handleable<TSession>).index] = result;
      });
    } catch {
      // The handler that failed in the batch has had its first attempt; the others start afresh.
      for (const item of run) {
        const tried = failed?.item === item ? failed : undefined;
        outcomes[item.index] = await this.#traced(item.message, () =>
          this.#handle(item.message, item.envelope, item.handler, tried?.error),
        );
      }
    }
  }

  #traced(message: DeliveredMessage, work: () => Promise<ProcessOutcome>): Promise<ProcessOutcome> {
    return tracingIsOn() ? inProcessSpan(this.options.consumerGroup, message, work) : work();
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
    return this.#handle(message, envelope, handler);
  }

  /**
   * Runs the handler through the inbox with retries, and dead-letters the message after the last
   * attempt. `firstFailure`: the error of an attempt already made (in a batch), which counts.
   */
  async #handle(
    message: DeliveredMessage,
    envelope: EventEnvelope,
    handler: EventHandler<TSession>,
    firstFailure?: unknown,
  ): Promise<ProcessOutcome> {
    const maxAttempts = this.options.maxAttempts ?? 5;
    let attempts = firstFailure === undefined ? 0 : 1;
    if (attempts >= maxAttempts || firstFailure instanceof InvalidEnvelopeError) {
      await this.deadLetter(message, firstFailure, attempts);
      return 'dead-lettered';
    }
    const policy = retry(
      handleWhen((error) => !(error instanceof InvalidEnvelopeError)),
      {
        maxAttempts: maxAttempts - attempts - 1,
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
