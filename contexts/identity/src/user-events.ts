import { z } from '@strata/shared-kernel';
import { suspensionReasonText } from './domain/suspension-reason.ts';
import { displayName, email, role } from './identity-fields.ts';

// What a User announces, written once: the contract publishes these schemas and the aggregate's
// payload types are inferred from them. No payload ever carries a password or its hash: events
// are copied to Kafka, logs and read models that must never hold a credential.

export const userEventPayloads = {
  UserRegistered: z.object({ userId: z.uuid(), email, displayName, roles: z.array(role) }),
  EmailVerified: z.object({ userId: z.uuid(), email }),
  PasswordChanged: z.object({ userId: z.uuid() }),
  RoleGranted: z.object({ userId: z.uuid(), role, grantedBy: z.uuid() }),
  RoleRevoked: z.object({ userId: z.uuid(), role, revokedBy: z.uuid() }),
  UserSuspended: z.object({
    userId: z.uuid(),
    reason: z.string().min(1).max(suspensionReasonText.maxLength),
    suspendedBy: z.uuid(),
  }),
  UserReinstated: z.object({ userId: z.uuid(), reinstatedBy: z.uuid() }),
};

export type UserEventPayloads = {
  readonly [TType in keyof typeof userEventPayloads]: Readonly<z.infer<(typeof userEventPayloads)[TType]>>;
};

export type UserEventType = keyof UserEventPayloads;
