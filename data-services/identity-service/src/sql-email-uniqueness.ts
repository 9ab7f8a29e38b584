import type { EmailUniqueness } from '@strata/identity';
import type { CurrentSession } from './current-session.ts';

/**
 * Answers the domain's uniqueness question with a query. Advisory by design: two registrations
 * racing past it are settled by the unique index, whose violation the service maps to the same
 * `email-already-registered` refusal.
 */
export class SqlEmailUniqueness implements EmailUniqueness {
  private readonly session: CurrentSession;

  constructor(session: CurrentSession) {
    this.session = session;
  }

  async isTaken(normalisedEmail: string): Promise<boolean> {
    const rows = await this.session
      .get()
      .execute<unknown[]>('select 1 from users where email = ? limit 1', [normalisedEmail]);
    return rows.length > 0;
  }
}
