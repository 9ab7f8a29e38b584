/**
 * What a notification is about, one kind per fact the platform tells a learner. The kind, not the
 * text, is what a client keys on (an icon, a sound); the text is for people.
 */
export const NOTIFICATION_KINDS = [
  'welcome',
  'receipt',
  'refund',
  'course-ready',
  'certificate-ready',
] as const;

export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
