import type { UserView } from './contract.ts';
import type { EmailAddress } from './domain/email-address.ts';

/**
 * The identity context's read side: the questions it answers across users. The context says what
 * it asks; a data service answers from its store (MikroORM in identity-service).
 */
export interface IdentityQueries {
  /** The user registered with this email, if any: emails are unique once normalised. */
  userWithEmail(email: EmailAddress): Promise<UserView | null>;
}
