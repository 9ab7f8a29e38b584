import { DomainError } from '@strata/shared-kernel';

export interface PlainTextRule {
  /** The concept in kebab case, used to build stable codes: `course-title`. */
  readonly concept: string;
  /** The input field it comes from, named in the error so a form can point at it. */
  readonly field: string;
  readonly minLength: number;
  readonly maxLength: number;
  readonly multiline: boolean;
}

// Control and formatting characters (escapes, bidi overrides, zero-width joiners) in text shown to
// other people are a spoofing tool, never content. Descriptions may keep line breaks and tabs.
const SINGLE_LINE_FORBIDDEN = /[\p{Cc}\p{Cf}]/u;
const MULTILINE_FORBIDDEN = /[^\P{Cc}\n\r\t]|\p{Cf}/u;

/** Trims text a person typed and holds it to its length and character rules. */
export function normalisePlainText(raw: string, rule: PlainTextRule): string {
  const text = raw.trim();
  const length = [...text].length;
  if (length < rule.minLength || length > rule.maxLength) {
    const range =
      rule.minLength === 0 ? `at-most-${rule.maxLength}` : `${rule.minLength}-to-${rule.maxLength}`;
    throw DomainError.invalid(
      `${rule.concept}-must-be-${range}-characters`,
      `${rule.field} must be ${range.replaceAll('-', ' ')} characters once trimmed; got ${length}`,
      { field: rule.field, length, minLength: rule.minLength, maxLength: rule.maxLength },
    );
  }
  if ((rule.multiline ? MULTILINE_FORBIDDEN : SINGLE_LINE_FORBIDDEN).test(text)) {
    throw DomainError.invalid(
      `${rule.concept}-must-not-contain-control-characters`,
      `${rule.field} must not contain control or formatting characters${rule.multiline ? ' other than line breaks and tabs' : ''}`,
      { field: rule.field },
    );
  }
  return text;
}
