import type { SqlEntityManager } from '@mikro-orm/sql';
import { type EmailAddress, toUserView, type IdentityQueries } from '@strata/identity';
import type { UserView } from '@strata/identity/contract';
import { toUser, userRecordSchema } from './user-record.ts';

/**
 * The identity context's queries on MikroORM, read through the running unit of work's session so
 * that a question asked inside a call (the email check during register) sees its transaction.
 */
export class SqlIdentityQueries implements IdentityQueries {
  readonly #session: () => SqlEntityManager;

  constructor(session: () => SqlEntityManager) {
    this.#session = session;
  }

  // Emails are stored normalised and unique, so there is at most one.
  async userWithEmail(email: EmailAddress): Promise<UserView | null> {
    const record = await this.#session().findOne(userRecordSchema, { email: email.value });
    return record === null ? null : toUserView(toUser(record));
  }

  /** Answers the domain's EmailUniqueness; advisory, as the unique index settles races. */
  async isTaken(normalisedEmail: string): Promise<boolean> {
    return (await this.#session().count(userRecordSchema, { email: normalisedEmail })) > 0;
  }
}
