import type { DomainEvent } from './domain-event.ts';
import { Entity } from './entity.ts';

/**
 * The consistency boundary: the only entity a repository loads and saves, the only one other
 * services can address by id. It records the events its methods cause; the unit of work writes them
 * to the outbox in the same transaction as the state change.
 *
 * `version` is the version as persisted; saving checks it (optimistic locking) and advances it by
 * one per committed command, whatever the number of events. Like every aggregate's state it is
 * private: a store passes it to the constructor when it restores an aggregate.
 */
export abstract class AggregateRoot<TId extends string = string> extends Entity<TId> {
  #version: number;
  #recordedEvents: DomainEvent[] = [];

  /** `version` is the persisted one when a store restores an aggregate from its snapshot. */
  constructor(version = 0) {
    super();
    this.#version = version;
  }

  /** The version as persisted: the unit of work checks it on save and `markSaved` advances it. */
  get version(): number {
    return this.#version;
  }

  /** The aggregate's name in the ubiquitous language, e.g. 'Course'. */
  abstract get aggregateType(): string;

  protected record<TType extends string, TPayload>(type: TType, payload: TPayload, occurredAt: Date): void {
    const event: DomainEvent<TType, TPayload> = {
      type,
      payload,
      aggregateType: this.aggregateType,
      aggregateId: this.id,
      aggregateVersion: this.#version + 1,
      occurredAt,
    };
    this.#recordedEvents.push(event);
  }

  /** Events recorded since the last save, oldest first. */
  get pendingEvents(): readonly DomainEvent[] {
    return this.#recordedEvents;
  }

  /** Called by the unit of work once the state and its events are committed. */
  markSaved(): void {
    this.#version += 1;
    this.#recordedEvents = [];
  }
}
