import { User } from '@strata/identity';
import { aggregateSchema } from '@strata/persistence';

/** Where the normalised email's unique index lives; its violation means `email-already-registered`. */
export const USER_EMAIL_INDEX = 'users_email_unique';

/**
 * User as the ORM stores it, in `users`. The domain class stays free of decorators; roles are a
 * JSON list because they are read and written only with their user. The password hash is a
 * column like any other here, which is why views and events are built field by field.
 */
export const userSchema = aggregateSchema<User>({
  // The constructor is private (users come only from register); the ORM never calls it anyway.
  class: User as unknown as new () => User,
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
