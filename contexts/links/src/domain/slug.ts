import { checkRule, TextValue } from '@strata/shared-kernel';
import type { RandomSource } from './random-source.ts';
import { CUSTOM_SLUG_LENGTH, customSlugRefusal } from './slug-rules.ts';

/**
 * Crockford's base 32 in lower case: digits and letters without i, l, o and u, so a slug read
 * aloud or off paper cannot be mistyped as another (0/o, 1/l/i), and fewer words are spelled by
 * chance. 32 symbols make each byte's low five bits one uniformly drawn symbol, with no bias.
 */
export const GENERATED_SLUG_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** 12 symbols of 5 bits: 60 random bits (ADR 0017 says why that many). */
export const GENERATED_SLUG_LENGTH = 12;

/** The longest slug of either kind: what a lookup accepts before asking the store. */
export const MAX_SLUG_LENGTH = Math.max(CUSTOM_SLUG_LENGTH.max, GENERATED_SLUG_LENGTH);

const LOOKUP_KEY = new RegExp(`^[A-Za-z0-9-]{1,${MAX_SLUG_LENGTH}}$`);

/**
 * The last part of a short link's address, `strata.link/<slug>`, in lower case. Slugs are
 * case-insensitive: `Spring-Sale` and `spring-sale` are one slug, so two links never differ by
 * case alone (a phishing tool, and a trap for whoever types a link off a poster or a phone
 * screen that capitalised it). They are kept and compared folded to lower case.
 */
export class Slug extends TextValue {
  private constructor(value: string) {
    super(value);
  }

  /** A slug the owner chose: trimmed, checked against the custom slug rules, folded to lower case. */
  static custom(raw: string): Slug {
    const slug = raw.trim();
    const refusal = customSlugRefusal(slug);
    if (refusal !== null) checkRule(refusal);
    // The character rule ran on the slug as typed and admits ASCII only, so folding cannot turn a
    // look-alike (the Kelvin sign folds to k) into an accepted letter.
    return new Slug(slug.toLowerCase());
  }

  /** A fresh slug from `random`; the store decides whether it is free (ADR 0017). */
  static generate(random: RandomSource): Slug {
    const bytes = random.bytes(GENERATED_SLUG_LENGTH);
    if (bytes.length !== GENERATED_SLUG_LENGTH) {
      throw new TypeError(
        `the random source gave ${bytes.length} bytes; ${GENERATED_SLUG_LENGTH} were asked`,
      );
    }
    let slug = '';
    for (const byte of bytes) slug += GENERATED_SLUG_ALPHABET[byte & 31];
    return new Slug(slug);
  }

  /** A slug as a store kept it: it passed its rules when the link was created. */
  static restore(stored: string): Slug {
    return new Slug(stored);
  }

  /**
   * The key a visited path is looked up by, or null when no slug could be spelled so (the
   * redirect answers 404 without asking any store). Cheap: one pattern test and a fold.
   */
  static keyOf(path: string): string | null {
    return LOOKUP_KEY.test(path) ? path.toLowerCase() : null;
  }
}
