import { AggregateRoot, checkRule, newId, type Actor, type Clock } from '@strata/shared-kernel';
import type { NotificationFeedEventPayloads } from '../notification-events.ts';
import { Notification } from './notification.ts';
import type { NotificationFeedSnapshot } from './notification-feed-snapshot.ts';
import type { NotificationId } from './notification-id.ts';
import type { NotificationMessage } from './notification-message.ts';
import { onlyTheRecipientMayMarkNotificationsRead } from './notification-rules.ts';

/**
 * Everything the platform tells one recipient, in order: the feed numbers their notifications 1,
 * 2, 3… with no gaps and no repeats, so a client holding "up to N" knows exactly what it lacks.
 * The epoch names this run of positions; a feed that is ever started again (its record lost or
 * erased) gets a new one, and a client holding the old epoch knows its positions mean nothing now.
 *
 * The feed announces each notification (NotificationCreated) so that the announcements of one
 * recipient share one key, and so one order, on the way to every listener.
 */
export class NotificationFeed extends AggregateRoot<string> {
  declare readonly id: string;
  readonly #fields: {
    -readonly [K in Exclude<keyof NotificationFeedSnapshot, 'id' | 'version'>]: NotificationFeedSnapshot[K];
  };

  private constructor(snapshot: NotificationFeedSnapshot) {
    super(snapshot.version);
    const { id, version: _version, ...fields } = snapshot;
    this.id = id;
    this.#fields = fields;
  }

  /** A recipient's feed before their first notification, in a new epoch. */
  static start(recipientId: string, clock: Clock, epoch: string = newId()): NotificationFeed {
    return new NotificationFeed({
      id: recipientId,
      version: 0,
      epoch,
      latestPosition: 0,
      readUpTo: 0,
      readUpToAt: null,
      startedAt: clock.now(),
    });
  }

  static restore(snapshot: NotificationFeedSnapshot): NotificationFeed {
    return new NotificationFeed(snapshot);
  }

  toSnapshot(): NotificationFeedSnapshot {
    return { ...this.#fields, id: this.id, version: this.version };
  }

  get aggregateType(): 'NotificationFeed' {
    return 'NotificationFeed';
  }

  get recipientId(): string {
    return this.id;
  }

  get epoch(): string {
    return this.#fields.epoch;
  }

  get latestPosition(): number {
    return this.#fields.latestPosition;
  }

  get readUpTo(): number {
    return this.#fields.readUpTo;
  }

  get readUpToAt(): Date | null {
    return this.#fields.readUpToAt && new Date(this.#fields.readUpToAt);
  }

  get startedAt(): Date {
    return new Date(this.#fields.startedAt);
  }

  /**
   * Tells the recipient something: the notification takes the next position. `sourceEventId` is
   * the event it answers (the store keeps one notification per event).
   */
  append(
    message: NotificationMessage,
    sourceEventId: string,
    clock: Clock,
    id: NotificationId = newId<'Notification'>(),
  ): Notification {
    const now = clock.now();
    const position = this.#fields.latestPosition + 1;
    this.#fields.latestPosition = position;
    const notification = Notification.placed({
      id,
      recipientId: this.id,
      ...message,
      createdAt: now,
      epoch: this.#fields.epoch,
      position,
      sourceEventId,
    });
    this.#emit(
      'NotificationCreated',
      {
        id,
        recipientId: this.id,
        ...message,
        createdAt: now.toISOString(),
        epoch: this.#fields.epoch,
        position,
      },
      now,
    );
    return notification;
  }

  /**
   * The recipient has seen everything up to `upTo` (the latest position when absent; never past
   * it). A mark at or below the one already made changes nothing.
   */
  markAllRead(actor: Actor, clock: Clock, upTo?: number): void {
    checkRule(onlyTheRecipientMayMarkNotificationsRead(actor, this.id));
    const mark = Math.min(upTo ?? this.#fields.latestPosition, this.#fields.latestPosition);
    if (mark <= this.#fields.readUpTo) return;
    const now = clock.now();
    this.#fields.readUpTo = mark;
    this.#fields.readUpToAt = now;
    this.#emit(
      'NotificationsRead',
      { recipientId: this.id, epoch: this.#fields.epoch, upTo: mark, readAt: now.toISOString() },
      now,
    );
  }

  #emit<TType extends keyof NotificationFeedEventPayloads>(
    type: TType,
    payload: NotificationFeedEventPayloads[TType],
    occurredAt: Date,
  ): void {
    this.record(type, payload, occurredAt);
  }
}
