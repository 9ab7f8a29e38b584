import { DomainError } from './domain-error.ts';

export interface PlainTextRule {
  /** The concept in kebab case, used to build stable codes: `course-title`. */
  readonly concept: string;
  /** The input field it comes from, named in the error so a form can point at it. */
  readonly field: string;
  readonly minLength: number;
  readonly maxLength: number;
  readonly multiline: boolean;
}

/** The length bounds and names of one kind of text; the character rule follows from the kind. */
export interface PlainTextSpec {
  readonly concept: string;
  readonly field: string;
  /** Inclusive bounds, counted in characters once trimmed: `[1, 120]`. */
  readonly length: readonly [min: number, max: number];
}

/** Text on one line (titles, names): no line breaks, no control characters. */
export function oneLineText(spec: PlainTextSpec): PlainTextRule {
  return textRule(spec, false);
}

/** Text that may span lines (descriptions, reasons): line breaks and tabs, no other control characters. */
export function multilineText(spec: PlainTextSpec): PlainTextRule {
  return textRule(spec, true);
}

function textRule({ concept, field, length: [minLength, maxLength] }: PlainTextSpec, multiline: boolean) {
  return Object.freeze({ concept, field, minLength, maxLength, multiline });
}

// Control and formatting characters (NUL, escapes, bidi overrides, zero-width joiners) in text a
// person typed are a spoofing and log-injection tool, never content. Multiline text may keep line
// breaks and tabs. Written as what is allowed, so a schema can carry the same rule as a pattern.
export const SINGLE_LINE_TEXT = /^[^\p{Cc}\p{Cf}]*$/u;
export const MULTILINE_TEXT = /^(?:[^\p{Cc}\p{Cf}]|[\t\n\r])*$/u;

export function plainTextPattern(multiline: boolean): RegExp {
  return multiline ? MULTILINE_TEXT : SINGLE_LINE_TEXT;
}

/** What a refusal says about the character rule, the same in the domain and at the boundaries. */
export function plainTextCharacterMessage(multiline: boolean): string {
  return `must not contain control or formatting characters${multiline ? ' other than line breaks and tabs' : ''}`;
}

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
  if (!plainTextPattern(rule.multiline).test(text)) {
    throw DomainError.invalid(
      `${rule.concept}-must-not-contain-control-characters`,
      `${rule.field} ${plainTextCharacterMessage(rule.multiline)}`,
      { field: rule.field },
    );
  }
  return text;
}
