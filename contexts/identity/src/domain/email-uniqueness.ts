/**
 * The port that answers whether an email already belongs to an account.
 *
 * A port rather than a boolean the caller passes in: the domain asks with the email it has
 * normalised itself, so no caller can ask about "Ada@Example.org" and then store
 * "ada@example.org". The answer is advisory under concurrency; the store's unique index on the
 * normalised email is what finally decides, and the data service maps its violation to the same
 * `email-already-registered` code.
 */
export interface EmailUniqueness {
  isTaken(normalisedEmail: string): Promise<boolean>;
}
