import { AggregateRoot, checkRule, type Actor, type Clock } from '@strata/shared-kernel';
import type { NotificationEventPayloads } from '../notification-events.ts';
import type { NotificationId } from './notification-id.ts';
import type { NotificationKind } from './notification-kind.ts';
import { onlyTheRecipientMayMarkNotificationsRead } from './notification-rules.ts';
import type { NotificationSnapshot } from './notification-snapshot.ts';

/**
 * One thing the platform told one person (their recipient): what it is about, what it says, where
 * it leads, and whether they have read it. It is made by its recipient's feed, which gives it its
 * place (epoch and position); afterwards only reading changes it. State is private (`#`, ADR 0008).
 */
export class Notification extends AggregateRoot<NotificationId> {
  declare readonly id: NotificationId;
  readonly #fields: {
    -readonly [K in Exclude<keyof NotificationSnapshot, 'id' | 'version'>]: NotificationSnapshot[K];
  };

  private constructor(snapshot: NotificationSnapshot) {
    super(snapshot.version);
    const { id, version: _version, ...fields } = snapshot;
    this.id = id;
    this.#fields = fields;
  }

  /** A notification as a store kept it: no rule runs and no event is recorded. */
  static restore(snapshot: NotificationSnapshot): Notification {
    return new Notification(snapshot);
  }

  /**
   * A new notification at its place in the feed. Only `NotificationFeed.append` calls it: the feed
   * announces the notification (NotificationCreated), so it records nothing itself.
   */
  static placed(snapshot: Omit<NotificationSnapshot, 'version' | 'readAt'>): Notification {
    return new Notification({ ...snapshot, version: 0, readAt: null });
  }

  toSnapshot(): NotificationSnapshot {
    return { ...this.#fields, id: this.id, version: this.version };
  }

  get aggregateType(): 'Notification' {
    return 'Notification';
  }

  get recipientId(): string {
    return this.#fields.recipientId;
  }

  get kind(): NotificationKind {
    return this.#fields.kind;
  }

  get title(): string {
    return this.#fields.title;
  }

  get text(): string {
    return this.#fields.text;
  }

  get link(): string | null {
    return this.#fields.link;
  }

  get createdAt(): Date {
    return new Date(this.#fields.createdAt);
  }

  get readAt(): Date | null {
    return this.#fields.readAt && new Date(this.#fields.readAt);
  }

  get epoch(): string {
    return this.#fields.epoch;
  }

  get position(): number {
    return this.#fields.position;
  }

  get sourceEventId(): string {
    return this.#fields.sourceEventId;
  }

  /** The recipient has seen it. Marking a read notification read again changes nothing. */
  markRead(actor: Actor, clock: Clock): void {
    checkRule(onlyTheRecipientMayMarkNotificationsRead(actor, this.#fields.recipientId));
    if (this.#fields.readAt !== null) return;
    const now = clock.now();
    this.#fields.readAt = now;
    this.#emit(
      'NotificationRead',
      {
        notificationId: this.id,
        recipientId: this.#fields.recipientId,
        epoch: this.#fields.epoch,
        position: this.#fields.position,
        readAt: now.toISOString(),
      },
      now,
    );
  }

  #emit<TType extends keyof NotificationEventPayloads>(
    type: TType,
    payload: NotificationEventPayloads[TType],
    occurredAt: Date,
  ): void {
    this.record(type, payload, occurredAt);
  }
}
