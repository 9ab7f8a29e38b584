import { multilineText, oneLineText } from '@strata/shared-kernel';

// The bounds of what a notification says, declared once: the domain normalises with them and the
// contract's schemas are built from them, so the two cannot disagree.

export const notificationTitleText = oneLineText({
  concept: 'notification-title',
  field: 'title',
  length: [1, 120],
});

export const notificationBodyText = multilineText({
  concept: 'notification-text',
  field: 'text',
  length: [1, 1_000],
});

/**
 * Where a notification leads: a path in the learner app (`/orders/…`), never an absolute URL, so a
 * notification can never send anyone off the platform and the app's host can change freely.
 */
export const NOTIFICATION_LINK = /^\/[A-Za-z0-9\-._~/]*$/;
export const MAX_NOTIFICATION_LINK_LENGTH = 200;
