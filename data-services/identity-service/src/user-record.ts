import { EmailAddress, User, type Role, type UserId, type UserStatus } from '@strata/identity';
import { aggregateMapping, recordSchema } from '@strata/persistence';

/** Where the normalised email's unique index lives; its violation means `email-already-registered`. */
export const USER_EMAIL_INDEX = 'users_email_unique';

/** A user as the `users` table holds them: the row MikroORM loads and flushes. */
export interface UserRecord {
  id: string;
  version: number;
  email: string;
  displayName: string;
  passwordHash: string;
  roles: Role[];
  status: UserStatus;
  suspensionReason: string | null;
  emailVerifiedAt: Date | null;
  registeredAt: Date;
}

/**
 * Roles are a JSON list because they are read and written only with their user. The password
 * hash is a column like any other here, which is why views and events are built field by field.
 */
export const userRecordSchema = recordSchema<UserRecord>({
  name: 'UserRecord',
  tableName: 'users',
  properties: {
    id: { type: 'string', primary: true, length: 36 },
    email: { type: 'string', length: 254, unique: USER_EMAIL_INDEX },
    displayName: { type: 'string', length: 80 },
    passwordHash: { type: 'string', length: 255 },
    roles: { type: 'json' },
    status: { type: 'string', length: 16 },
    suspensionReason: { type: 'string', length: 500, nullable: true },
    emailVerifiedAt: { type: 'datetime', nullable: true },
    registeredAt: { type: 'datetime' },
  },
});

export function toUser(record: UserRecord): User {
  return User.restore({ ...record, id: record.id as UserId, email: EmailAddress.of(record.email) });
}

export function toUserRecord(user: User): UserRecord {
  const snapshot = user.toSnapshot();
  return { ...snapshot, email: snapshot.email.value, roles: [...snapshot.roles] };
}

/** What the unit of work needs to load and save users. */
export const userStorage = aggregateMapping({
  schema: userRecordSchema,
  toAggregate: toUser,
  toRecord: toUserRecord,
});
