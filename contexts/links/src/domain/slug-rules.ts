import type { BusinessRule } from '@strata/shared-kernel';

// The rules a slug an owner chooses keeps, each named with a stable code. Generated slugs keep
// them too (a property test says so), so every slug lives in one space with one character set.

/** Inclusive bounds, in characters: short enough to type, long enough for a campaign's words. */
export const CUSTOM_SLUG_LENGTH = { min: 3, max: 40 } as const;

/**
 * Words a slug may not be: the paths the short domain serves itself or may serve one day, and
 * words that would make a link look like it comes from the platform (`admin`, `login`), a
 * phishing tool. Compared after case folding, like every slug.
 */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  'about',
  'account',
  'admin',
  'api',
  'app',
  'assets',
  'auth',
  'billing',
  'certificate',
  'certificates',
  'course',
  'courses',
  'dashboard',
  'docs',
  'favicon',
  'health',
  'help',
  'home',
  'index',
  'legal',
  'links',
  'login',
  'logout',
  'metrics',
  'oauth',
  'password',
  'privacy',
  'ready',
  'register',
  'reset',
  'robots',
  'security',
  'settings',
  'signin',
  'signout',
  'signup',
  'sitemap',
  'static',
  'stats',
  'status',
  'strata',
  'studio',
  'support',
  'terms',
  'verify',
  'well-known',
  'www',
]);

/** ASCII letters (either case), digits and hyphens: what survives every channel a link travels. */
const SLUG_CHARACTERS = /^[A-Za-z0-9-]*$/;

export function customSlugLengthMustBeWithinBounds(slug: string): BusinessRule {
  const { min, max } = CUSTOM_SLUG_LENGTH;
  return {
    code: 'custom-slug-length-must-be-within-bounds',
    message: `a custom slug has ${min} to ${max} characters; got ${slug.length}`,
    category: 'INVALID_ARGUMENT',
    details: { field: 'slug', length: slug.length, minLength: min, maxLength: max },
    isBroken: () => slug.length < min || slug.length > max,
  };
}

export function customSlugMayUseOnlyLettersDigitsAndHyphens(slug: string): BusinessRule {
  return {
    code: 'custom-slug-may-use-only-letters-digits-and-hyphens',
    message: 'a custom slug may use only the letters a to z, the digits 0 to 9 and hyphens',
    category: 'INVALID_ARGUMENT',
    details: { field: 'slug' },
    isBroken: () => !SLUG_CHARACTERS.test(slug),
  };
}

/** `-sale` or `sale-` reads as a typo in a printed link, and is easily lost when a line wraps. */
export function customSlugCannotStartOrEndWithAHyphen(slug: string): BusinessRule {
  return {
    code: 'custom-slug-cannot-start-or-end-with-a-hyphen',
    message: 'a custom slug starts and ends with a letter or a digit',
    category: 'INVALID_ARGUMENT',
    details: { field: 'slug' },
    isBroken: () => slug.startsWith('-') || slug.endsWith('-'),
  };
}

/** `folded` is the slug in lower case, as slugs are compared. */
export function customSlugCannotBeReserved(folded: string): BusinessRule {
  return {
    code: 'custom-slug-cannot-be-reserved',
    message: `"${folded}" is reserved by the platform; choose another slug`,
    category: 'INVALID_ARGUMENT',
    details: { field: 'slug', slug: folded },
    isBroken: () => RESERVED_SLUGS.has(folded),
  };
}

/**
 * One slug, one link. The domain cannot see other links: the store's unique index decides, and
 * the data service answers its violation with this rule for a custom slug (a generated one that
 * collides is generated again instead, see ADR 0017).
 */
export function customSlugMustNotBeTaken(folded: string, taken: boolean): BusinessRule {
  return {
    code: 'custom-slug-must-not-be-taken',
    message: `the slug "${folded}" already belongs to another short link`,
    category: 'CONFLICT',
    details: { field: 'slug', slug: folded },
    isBroken: () => taken,
  };
}

/**
 * The first rule a custom slug as typed (trimmed) breaks, or null: the domain and the contract's
 * schema both ask this, so a boundary refuses with the very code the domain would.
 */
export function customSlugRefusal(slug: string): BusinessRule | null {
  const rules = [
    customSlugLengthMustBeWithinBounds(slug),
    customSlugMayUseOnlyLettersDigitsAndHyphens(slug),
    customSlugCannotStartOrEndWithAHyphen(slug),
    customSlugCannotBeReserved(slug.toLowerCase()),
  ];
  return rules.find((rule) => rule.isBroken()) ?? null;
}
