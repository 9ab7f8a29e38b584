import { DomainError } from './domain-error.ts';

const CURRENCY = /^[A-Z]{3}$/;

/**
 * An amount in integer minor units (cents) and an ISO 4217 currency. No floats anywhere: 0.1 + 0.2
 * is not a price. Arithmetic across currencies is refused rather than guessed.
 */
export class Money {
  readonly amount: number;
  readonly currency: string;

  private constructor(amount: number, currency: string) {
    this.amount = amount;
    this.currency = currency;
  }

  static of(amount: number, currency: string): Money {
    if (!Number.isSafeInteger(amount)) {
      throw DomainError.invalid(
        'money-amount-must-be-whole-minor-units',
        `amount ${amount} is not a whole number of minor units`,
        {
          amount,
        },
      );
    }
    if (!CURRENCY.test(currency)) {
      throw DomainError.invalid(
        'money-currency-must-be-iso-4217',
        `currency ${JSON.stringify(currency)} is not a three-letter ISO 4217 code`,
        {
          currency,
        },
      );
    }
    return new Money(amount, currency);
  }

  static zero(currency: string): Money {
    return Money.of(0, currency);
  }

  isNegative(): boolean {
    return this.amount < 0;
  }

  isZero(): boolean {
    return this.amount === 0;
  }

  add(other: Money): Money {
    this.#assertSameCurrency(other);
    return Money.of(this.amount + other.amount, this.currency);
  }

  subtract(other: Money): Money {
    this.#assertSameCurrency(other);
    return Money.of(this.amount - other.amount, this.currency);
  }

  multiply(factor: number): Money {
    if (!Number.isSafeInteger(factor)) {
      throw DomainError.invalid(
        'money-factor-must-be-whole',
        `cannot multiply money by ${factor}; use whole quantities`,
      );
    }
    return Money.of(this.amount * factor, this.currency);
  }

  compare(other: Money): -1 | 0 | 1 {
    this.#assertSameCurrency(other);
    return this.amount === other.amount ? 0 : this.amount < other.amount ? -1 : 1;
  }

  equals(other: Money | null | undefined): boolean {
    return other != null && other.amount === this.amount && other.currency === this.currency;
  }

  toJSON(): { amount: number; currency: string } {
    return { amount: this.amount, currency: this.currency };
  }

  toString(): string {
    return `${this.amount} ${this.currency} (minor units)`;
  }

  #assertSameCurrency(other: Money): void {
    if (other.currency !== this.currency) {
      throw new DomainError(
        'money-currency-mismatch',
        `cannot combine ${this.currency} with ${other.currency}`,
        {
          details: { left: this.currency, right: other.currency },
        },
      );
    }
  }
}
