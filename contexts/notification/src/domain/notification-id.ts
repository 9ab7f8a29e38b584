import type { Id } from '@strata/shared-kernel';

export type NotificationId = Id<'Notification'>;
