import { z, type BusinessRule } from '@strata/shared-kernel';
import type { LinkPolicy } from './domain/link-policy.ts';
import { maxVisitsMustBeAtLeastOne, maxVisitsMustNotExceedTheLimit } from './domain/short-link-rules.ts';
import { MAX_SLUG_LENGTH, Slug } from './domain/slug.ts';
import { customSlugRefusal } from './domain/slug-rules.ts';
import { MAX_TARGET_URL_LENGTH } from './domain/target-url-rules.ts';
import { judgeTargetUrl } from './domain/target-url.ts';

// The links context's fields as they travel (RPC inputs, views, event payloads): one schema a
// field, built from the domain's own rules, so a boundary refuses with the code the domain would
// give. zod's issue code for such a refusal is "custom"; the rule's stable code ends its message.

function refuse(ctx: z.RefinementCtx, rule: BusinessRule): void {
  ctx.addIssue({ code: 'custom', message: `${rule.message} [${rule.code}]` });
}

/** A slug as stored and shown: lower case, a letter or digit at each end (generated or custom). */
export const slug = z
  .string()
  .min(1)
  .max(MAX_SLUG_LENGTH)
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, 'a slug is lower-case letters, digits and inner hyphens');

/** A slug an owner asks for, as typed: any case, folded by the domain. */
export const customSlug = z
  .string()
  .trim()
  .superRefine((typed, ctx) => {
    const refusal = customSlugRefusal(typed);
    if (refusal !== null) refuse(ctx, refusal);
  });

/** A slug to look a link up by, in any case (a visited path); folded here as the domain folds it. */
export const slugKey = z
  .string()
  .refine(
    (typed) => Slug.keyOf(typed) !== null,
    `a slug is 1 to ${MAX_SLUG_LENGTH} letters, digits or hyphens`,
  )
  .toLowerCase();

/**
 * A target URL. Without a policy (the contract's schema, one for every deployment) the short-domain
 * rule waits for the domain; a boundary that knows its deployment builds the full check.
 */
export function targetUrlField(policy?: LinkPolicy) {
  return z
    .string()
    .max(MAX_TARGET_URL_LENGTH)
    .superRefine((given, ctx) => {
      const judgement = judgeTargetUrl(given, policy);
      if (!judgement.accepted) refuse(ctx, judgement.refusal);
    });
}

export const targetUrl = targetUrlField();

export const maxVisits = z
  .number()
  .int()
  .superRefine((given, ctx) => {
    const rule = maxVisitsMustBeAtLeastOne(given);
    if (rule.isBroken()) refuse(ctx, rule);
    const limit = maxVisitsMustNotExceedTheLimit(given);
    if (limit.isBroken()) refuse(ctx, limit);
  });
