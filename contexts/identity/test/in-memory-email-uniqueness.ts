import type { EmailUniqueness } from '@strata/identity';

export class InMemoryEmailUniqueness implements EmailUniqueness {
  readonly taken: Set<string>;
  readonly asked: string[] = [];

  constructor(taken: Iterable<string> = []) {
    this.taken = new Set(taken);
  }

  async isTaken(normalisedEmail: string): Promise<boolean> {
    this.asked.push(normalisedEmail);
    return this.taken.has(normalisedEmail);
  }
}
