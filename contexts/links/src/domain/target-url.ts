import { DomainError, TextValue, type BusinessRule } from '@strata/shared-kernel';
import type { LinkPolicy } from './link-policy.ts';
import {
  targetUrlCannotCarryCredentials,
  targetUrlCannotExceedMaxLength,
  targetUrlCannotPointAtTheShortDomain,
  targetUrlMustBeAnAbsoluteUrl,
  targetUrlMustUseHttpOrHttps,
} from './target-url-rules.ts';

/** What a target URL as given becomes, or the first rule it breaks. */
export type TargetUrlJudgement =
  | { readonly accepted: true; readonly href: string }
  | { readonly accepted: false; readonly refusal: BusinessRule };

/**
 * Judges a target URL as given. Without a policy the short-domain rule is left out: the contract's
 * schema is one for every deployment, and only the domain, told the deployment's policy, applies
 * it. The domain and the schemas both call this, so each refusal has one code wherever it happens.
 */
export function judgeTargetUrl(raw: string, policy?: LinkPolicy): TargetUrlJudgement {
  // Checked before parsing, so a megabyte of text costs a length test, not a parse.
  const asGiven = targetUrlCannotExceedMaxLength(raw);
  if (asGiven.isBroken()) return { accepted: false, refusal: asGiven };
  let parsed: URL | null;
  try {
    parsed = new URL(raw);
  } catch {
    parsed = null;
  }
  const absolute = targetUrlMustBeAnAbsoluteUrl(parsed);
  if (parsed === null) return { accepted: false, refusal: absolute };
  const rules = [
    targetUrlMustUseHttpOrHttps(parsed),
    targetUrlCannotCarryCredentials(parsed),
    ...(policy ? [targetUrlCannotPointAtTheShortDomain(parsed, policy.shortDomain)] : []),
    targetUrlCannotExceedMaxLength(parsed.href),
  ];
  const refusal = rules.find((rule) => rule.isBroken());
  return refusal ? { accepted: false, refusal } : { accepted: true, href: parsed.href };
}

/**
 * Where a short link sends its visitors: an http or https URL, kept as the URL parser writes it
 * back (`HTTPS://Example.org` becomes `https://example.org/`), which is what a browser will ask for.
 */
export class TargetUrl extends TextValue {
  private constructor(value: string) {
    super(value);
  }

  /** Checks a target as given against every rule, the deployment's short domain included. */
  static of(raw: string, policy: LinkPolicy): TargetUrl {
    const judgement = judgeTargetUrl(raw, policy);
    if (!judgement.accepted) {
      const { code, message, category, details } = judgement.refusal;
      throw new DomainError(code, message, { category, details });
    }
    return new TargetUrl(judgement.href);
  }

  /**
   * A target as a store kept it. No rule runs: it passed them at creation, and a link stays
   * loadable even if the deployment later moves to the domain it points at.
   */
  static restore(stored: string): TargetUrl {
    return new TargetUrl(stored);
  }
}
