import { z } from 'zod';
import { plainTextCharacterMessage, plainTextPattern } from '../domain/plain-text.ts';

/**
 * Text a person types, as a boundary accepts it: trimmed, bounded, and free of control and
 * formatting characters (the domain's plain-text rule). Contracts and the HTTP schemas taken from
 * them use it, so a NUL byte or a bidi override is refused with the field's path before any
 * service or database sees it, and the OpenAPI documents publish the rule as a pattern.
 */
export function plainText(rule: { minLength: number; maxLength: number; multiline: boolean }) {
  const trimmed = z.string().trim();
  return (rule.minLength > 0 ? trimmed.min(rule.minLength) : trimmed)
    .max(rule.maxLength)
    .regex(plainTextPattern(rule.multiline), plainTextCharacterMessage(rule.multiline));
}
