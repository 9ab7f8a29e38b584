import { DomainError, type DomainErrorCategory } from './domain-error.ts';

/**
 * A business rule as a named, testable thing: its code is the stable name the glossary and
 * clients use, and `isBroken` is the whole of its logic.
 */
export interface BusinessRule {
  readonly code: string;
  readonly message: string;
  readonly category?: DomainErrorCategory;
  readonly details?: Record<string, unknown>;
  isBroken(): boolean;
}

export function checkRule(rule: BusinessRule): void {
  if (rule.isBroken()) {
    throw new DomainError(rule.code, rule.message, { category: rule.category, details: rule.details });
  }
}

/** Shorthand for a rule that is one condition: `ensure(lessons.length > 0, 'course-without-lessons-…', '…')`. */
export function ensure(
  condition: boolean,
  code: string,
  message: string,
  details?: Record<string, unknown>,
): asserts condition {
  if (!condition) throw new DomainError(code, message, { details });
}
