import type { Actor, BusinessRule } from '@strata/shared-kernel';

// The rules of a recipient's notifications, each a named thing with a stable code that clients,
// the glossary and tests key on. What a notification says may concern money and certificates, so
// nobody but its recipient reads or marks it (support reads the orders themselves).

/** A recipient's feed and notifications are theirs alone to read. */
export function onlyTheRecipientMayReadTheirNotifications(
  caller: Partial<Actor> | undefined,
  recipientId: string,
): BusinessRule {
  return {
    code: 'only-the-recipient-may-read-their-notifications',
    message: 'only the recipient of these notifications may read them',
    category: 'PERMISSION_DENIED',
    details: { callerId: caller?.userId ?? null, recipientId },
    isBroken: () => caller?.userId !== recipientId,
  };
}

/** Read or unread is the recipient's own record of what they have seen. */
export function onlyTheRecipientMayMarkNotificationsRead(actor: Actor, recipientId: string): BusinessRule {
  return {
    code: 'only-the-recipient-may-mark-notifications-read',
    message: 'only the recipient of a notification may mark it read',
    category: 'PERMISSION_DENIED',
    details: { actorId: actor.userId, recipientId },
    isBroken: () => actor.userId !== recipientId,
  };
}
