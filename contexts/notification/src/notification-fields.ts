import { plainText, z } from '@strata/shared-kernel';
import {
  MAX_NOTIFICATION_LINK_LENGTH,
  NOTIFICATION_LINK,
  notificationBodyText,
  notificationTitleText,
} from './domain/notification-text.ts';
import { NOTIFICATION_KINDS } from './domain/notification-kind.ts';
import { MAX_SINCE_LIMIT } from './domain/feed-recovery.ts';

// The notification context's fields as they travel (RPC inputs, views, event payloads): one schema
// a field, built from the domain's own bounds.

export const notificationKind = z.enum(NOTIFICATION_KINDS);
export const notificationTitle = plainText(notificationTitleText);
export const notificationText = plainText(notificationBodyText);
export const notificationLink = z
  .string()
  .max(MAX_NOTIFICATION_LINK_LENGTH)
  .regex(NOTIFICATION_LINK, 'a path in the learner app, such as /orders/…');

/** A place in a recipient's feed: 1 for their first notification, one more for each after it; 0 means "none yet". */
export const feedPosition = z.number().int().min(0);

/** Names one run of a recipient's feed; a new epoch means positions started again from 1. */
export const feedEpoch = z.string().min(1).max(64);

export const sinceLimit = z.number().int().min(1).max(MAX_SINCE_LIMIT);
