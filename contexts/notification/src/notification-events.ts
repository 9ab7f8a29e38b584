import { z } from '@strata/shared-kernel';
import {
  feedEpoch,
  feedPosition,
  notificationKind,
  notificationLink,
  notificationText,
  notificationTitle,
} from './notification-fields.ts';

// What the notification context announces, written once: the contract publishes these schemas and
// the aggregates' payload types are inferred from them.

/**
 * A notification as it was added to its recipient's feed: every field of its view but the ones
 * that change later (readAt, version), so a live connection shows it without calling back.
 * Recorded by the feed, so its Kafka key is the recipient and one recipient's notifications reach
 * every consumer in position order.
 */
const NotificationCreatedPayload = z.object({
  id: z.uuid(),
  recipientId: z.uuid(),
  kind: notificationKind,
  title: notificationTitle,
  text: notificationText,
  link: notificationLink.nullable(),
  createdAt: z.iso.datetime(),
  epoch: feedEpoch,
  position: feedPosition.min(1),
});

export const notificationFeedEventPayloads = {
  NotificationCreated: NotificationCreatedPayload,
  /** The recipient marked everything up to `upTo` read (their other screens clear their badges). */
  NotificationsRead: z.object({
    recipientId: z.uuid(),
    epoch: feedEpoch,
    upTo: feedPosition.min(1),
    readAt: z.iso.datetime(),
  }),
};

export const notificationEventPayloads = {
  NotificationRead: z.object({
    notificationId: z.uuid(),
    recipientId: z.uuid(),
    epoch: feedEpoch,
    position: feedPosition.min(1),
    readAt: z.iso.datetime(),
  }),
};

type PayloadsOf<T extends Record<string, z.ZodType>> = {
  readonly [TType in keyof T]: z.output<T[TType]>;
};

export type NotificationFeedEventPayloads = PayloadsOf<typeof notificationFeedEventPayloads>;
export type NotificationEventPayloads = PayloadsOf<typeof notificationEventPayloads>;
export type NotificationCreated = NotificationFeedEventPayloads['NotificationCreated'];
export type NotificationsRead = NotificationFeedEventPayloads['NotificationsRead'];
export type NotificationRead = NotificationEventPayloads['NotificationRead'];
