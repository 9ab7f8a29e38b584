import { describe, expect, it } from '@jest/globals';
import { DomainError, Money } from '@strata/shared-kernel';

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  return undefined;
}

describe('money', () => {
  it('adds and subtracts in minor units without floating-point drift', () => {
    const price = Money.of(1999, 'EUR');
    expect(price.add(Money.of(1, 'EUR')).amount).toBe(2000);
    expect(price.subtract(Money.of(1999, 'EUR')).isZero()).toBe(true);
    expect(price.multiply(3)).toEqual(Money.of(5997, 'EUR'));
  });

  it('refuses fractions of a minor unit and malformed currencies', () => {
    expect(codeOf(() => Money.of(10.5, 'EUR'))).toBe('money-amount-must-be-whole-minor-units');
    expect(codeOf(() => Money.of(10, 'euro'))).toBe('money-currency-must-be-iso-4217');
    expect(codeOf(() => Money.of(10, 'EUR').multiply(0.5))).toBe('money-factor-must-be-whole');
  });

  it('refuses to combine currencies', () => {
    expect(codeOf(() => Money.of(1, 'EUR').add(Money.of(1, 'USD')))).toBe('money-currency-mismatch');
    expect(codeOf(() => Money.of(1, 'EUR').compare(Money.of(1, 'USD')))).toBe('money-currency-mismatch');
  });

  it('compares and serialises as plain data', () => {
    expect(Money.of(5, 'EUR').compare(Money.of(7, 'EUR'))).toBe(-1);
    expect(Money.of(7, 'EUR').equals(Money.of(7, 'EUR'))).toBe(true);
    expect(JSON.parse(JSON.stringify(Money.of(7, 'EUR')))).toEqual({ amount: 7, currency: 'EUR' });
  });
});
