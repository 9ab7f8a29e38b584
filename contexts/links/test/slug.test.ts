import { describe, expect, it } from '@jest/globals';
import { isDomainError } from '@strata/shared-kernel';
import { customSlugMustNotBeTaken, GENERATED_SLUG_ALPHABET, RESERVED_SLUGS, Slug } from '@strata/links';
import { bytesOf, ZEROS } from './short-link.mother.ts';

function refusalOf(act: () => unknown): { code: string; category: string; field: unknown } {
  try {
    act();
  } catch (error) {
    if (isDomainError(error)) {
      return { code: error.code, category: error.category, field: error.details?.field };
    }
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('a custom slug', () => {
  it('is kept trimmed and folded to lower case: slugs are case-insensitive', () => {
    expect(Slug.custom('  Spring-Sale ').value).toBe('spring-sale');
    expect(Slug.custom('SPRING-SALE').equals(Slug.custom('spring-sale'))).toBe(true);
  });

  it('has 3 to 40 characters', () => {
    expect(Slug.custom('ddd').value).toBe('ddd');
    expect(Slug.custom('a'.repeat(40)).value).toHaveLength(40);
    for (const slug of ['ab', 'a'.repeat(41), '']) {
      expect(refusalOf(() => Slug.custom(slug))).toEqual({
        code: 'custom-slug-length-must-be-within-bounds',
        category: 'INVALID_ARGUMENT',
        field: 'slug',
      });
    }
  });

  it('uses only ASCII letters, digits and hyphens, so no look-alike folds into an accepted letter', () => {
    // U+212A KELVIN SIGN lower-cases to an ASCII "k"; it must be refused, not folded.
    for (const slug of ['spring_sale', 'spring sale', 'été-2026', 'sale/2026', 'sale.2026', '\u212Aelvin']) {
      expect(refusalOf(() => Slug.custom(slug)).code).toBe(
        'custom-slug-may-use-only-letters-digits-and-hyphens',
      );
    }
  });

  it('starts and ends with a letter or a digit', () => {
    for (const slug of ['-sale', 'sale-', '---']) {
      expect(refusalOf(() => Slug.custom(slug)).code).toBe('custom-slug-cannot-start-or-end-with-a-hyphen');
    }
    expect(Slug.custom('spring--sale').value).toBe('spring--sale');
  });

  it('is not a reserved word, in any case', () => {
    for (const slug of ['api', 'admin', 'Login', 'WELL-KNOWN', 'strata']) {
      expect(refusalOf(() => Slug.custom(slug))).toEqual({
        code: 'custom-slug-cannot-be-reserved',
        category: 'INVALID_ARGUMENT',
        field: 'slug',
      });
    }
    expect(RESERVED_SLUGS.has('api')).toBe(true);
    expect(Slug.custom('api-course').value).toBe('api-course');
  });

  it('is refused as a conflict when the store finds it taken', () => {
    const rule = customSlugMustNotBeTaken('spring-sale', true);
    expect({ code: rule.code, category: rule.category, broken: rule.isBroken() }).toEqual({
      code: 'custom-slug-must-not-be-taken',
      category: 'CONFLICT',
      broken: true,
    });
    expect(customSlugMustNotBeTaken('spring-sale', false).isBroken()).toBe(false);
  });
});

describe('a generated slug', () => {
  it('is twelve symbols of the alphabet, one per random byte’s low five bits', () => {
    expect(Slug.generate(ZEROS).value).toBe('000000000000');
    expect(Slug.generate(bytesOf(31)).value).toBe('zzzzzzzzzzzz');
    // 32 + 1 and 64 + 2 keep only their low five bits: 1 and 2.
    expect(Slug.generate(bytesOf(33, 66, 255, 10)).value).toBe('12za12za12za');
  });

  it('never uses i, l, o or u', () => {
    expect(GENERATED_SLUG_ALPHABET).toHaveLength(32);
    expect(GENERATED_SLUG_ALPHABET).not.toMatch(/[ilou]/);
  });

  it('refuses a random source that gives fewer bytes than asked', () => {
    expect(() => Slug.generate({ bytes: () => new Uint8Array(4) })).toThrow(
      'the random source gave 4 bytes; 12 were asked',
    );
  });
});

describe('the lookup key of a visited path', () => {
  it('folds a path that could be a slug, and answers null for one that cannot', () => {
    expect(Slug.keyOf('Spring-Sale')).toBe('spring-sale');
    expect(Slug.keyOf('0a1b2c3d4e5f')).toBe('0a1b2c3d4e5f');
    for (const path of ['', 'a'.repeat(41), 'spring sale', 'favicon.ico', '../admin', '\u212Aelvin']) {
      expect(Slug.keyOf(path)).toBeNull();
    }
  });
});
