import { describe, expect, it } from '@jest/globals';
import { plainText, z } from '@strata/shared-kernel';
import {
  isPrecompiled,
  isZodUuid,
  refusalOf,
  safeParsePrecompiled,
} from '../../src/validation/precompiled-schema.ts';

const lesson = z.object({
  id: z.uuid(),
  title: z.string().min(1).max(20),
  durationMinutes: z.number().int().positive(),
});
const draft = z.object({
  id: z.uuid(),
  title: z.string().min(2).max(10),
  currency: z.string().length(3),
  price: z.number().int().nonnegative().lt(1000),
  ratio: z.number().gt(0).lte(1).optional(),
  kind: z.enum(['video', 'text']),
  version: z.literal(1),
  published: z.boolean(),
  note: z.string().nullable(),
  extra: z.unknown(),
  tags: z.array(z.string().min(1)).max(3),
  lessons: z.array(lesson).min(1),
  email: z.email().optional(),
});
const strict = z.object({ a: z.string(), b: z.number().optional() }).strict();
const ID = '0193a3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d';
const valid = {
  id: ID,
  title: 'Hello',
  currency: 'EUR',
  price: 10,
  kind: 'video',
  version: 1,
  published: false,
  note: null,
  extra: { anything: [1] },
  tags: ['a'],
  lessons: [{ id: ID, title: 'One', durationMinutes: 3 }],
};

/** What the precompiled check must never change: zod's answer, success and failure alike. */
function expectSameAsZod(schema: z.ZodType, value: unknown): void {
  const ours = safeParsePrecompiled(schema, value);
  const zods = schema.safeParse(value);
  expect(ours.success).toBe(zods.success);
  if (ours.success && zods.success) expect(ours.data).toStrictEqual(zods.data);
  else expect(ours.error?.issues).toEqual(zods.error?.issues);
  // The check that builds no output accepts and refuses the same values, with the same issues.
  expect(refusalOf(schema, value)?.issues).toEqual(zods.error?.issues);
}

describe('safeParsePrecompiled', () => {
  it('compiles the kinds contracts use, and leaves transforms, defaults and refinements to zod', () => {
    expect(isPrecompiled(draft)).toBe(true);
    expect(isPrecompiled(strict)).toBe(true);
    expect(isPrecompiled(z.object({ a: z.string().default('x') }))).toBe(false);
    expect(isPrecompiled(z.string().refine((value) => value !== 'x'))).toBe(false);
    expect(isPrecompiled(z.object({ a: z.string() }).passthrough())).toBe(false);
    expect(isPrecompiled(z.coerce.number())).toBe(false);
    expect(isPrecompiled(z.union([z.string(), z.number()]))).toBe(false);
  });

  it('answers exactly what zod answers for values it accepts, unknown keys stripped', () => {
    expectSameAsZod(draft, valid);
    expectSameAsZod(draft, { ...valid, ratio: 0.5, email: 'a@b.example', unknownKey: 'dropped' });
    expectSameAsZod(draft, { ...valid, ratio: undefined });
    expectSameAsZod(strict, { a: 'x' });
    expectSameAsZod(draft, { ...valid, title: '😀😀' });
    const parsed = safeParsePrecompiled(draft, valid);
    // A new object, as zod makes, so the caller's value and the parsed one never alias.
    expect(parsed.success && parsed.data).not.toBe(valid);
    expect(parsed.success && (parsed.data as typeof valid).lessons).not.toBe(valid.lessons);
  });

  it.each([
    ['a malformed uuid', { ...valid, id: 'not-a-uuid' }],
    ['a string too short', { ...valid, title: 'x' }],
    ['a string too long', { ...valid, title: 'x'.repeat(11) }],
    ['a surrogate pair counted as one character', { ...valid, title: '😀' }],
    ['a wrong exact length', { ...valid, currency: 'EU' }],
    ['a fraction where an integer is required', { ...valid, price: 1.5 }],
    ['a negative number', { ...valid, price: -1 }],
    ['an exclusive upper bound reached', { ...valid, price: 1000 }],
    ['an exclusive lower bound reached', { ...valid, ratio: 0 }],
    ['NaN', { ...valid, price: Number.NaN }],
    ['Infinity', { ...valid, ratio: Number.POSITIVE_INFINITY }],
    ['a value outside the enum', { ...valid, kind: 'audio' }],
    ['a different literal', { ...valid, version: 2 }],
    ['a string for a boolean', { ...valid, published: 'yes' }],
    ['undefined where null is allowed but the key is required', { ...valid, note: undefined }],
    ['a missing required key', (({ note: _note, ...rest }) => rest)(valid)],
    ['too many array elements', { ...valid, tags: ['a', 'b', 'c', 'd'] }],
    ['too few array elements', { ...valid, lessons: [] }],
    ['a bad nested element', { ...valid, lessons: [{ id: ID, title: '', durationMinutes: 0 }] }],
    ['an array for an object', [valid]],
    ['null for an object', null],
    ['a malformed email', { ...valid, email: 'nobody' }],
  ])('refuses %s with zod’s own issues', (_name, value) => {
    expect(safeParsePrecompiled(draft, value).success).toBe(false);
    expectSameAsZod(draft, value);
  });

  it('refuses an unknown key of a strict object with zod’s issue', () => {
    expect(safeParsePrecompiled(strict, { a: 'x', c: 1 }).success).toBe(false);
    expectSameAsZod(strict, { a: 'x', c: 1 });
  });

  it('compiles a string overwrite (plainText’s trim) and checks the overwritten value, as zod does', () => {
    // Every title and description of a contract is plainText: trimmed, bounded, no control characters.
    const texts = z.object({
      title: plainText({ minLength: 3, maxLength: 5, multiline: false }),
      body: plainText({ minLength: 0, maxLength: 8, multiline: true }),
      tag: z.string().toLowerCase().length(2),
      lines: z.array(plainText({ minLength: 1, maxLength: 4, multiline: false })).optional(),
    });
    expect(isPrecompiled(texts)).toBe(true);
    expectSameAsZod(texts, { title: 'Hello', body: 'a\nb', tag: 'ab' });
    // Trimmed first: the bounds apply to what is left, and the answer carries the trimmed text.
    expectSameAsZod(texts, { title: '  Hello  ', body: '  \tbody\n ', tag: 'AB', lines: [' x ', 'yz'] });
    const parsed = safeParsePrecompiled(texts, { title: ' Hey ', body: '', tag: 'Ab', lines: [' a'] });
    expect(parsed.success && parsed.data).toEqual({ title: 'Hey', body: '', tag: 'ab', lines: ['a'] });
    expectSameAsZod(texts, { title: '  Hi  ', body: '', tag: 'ab' });
    // Long enough only before the trim: refused, by the check that builds nothing as well.
    expectSameAsZod(texts, { title: ' Hi ', body: '', tag: 'ab' });
    expectSameAsZod(texts, { title: 'Hello!', body: '', tag: 'ab' });
    expectSameAsZod(texts, { title: 'Hel\u0000lo', body: '', tag: 'ab' });
    expectSameAsZod(texts, { title: 'Hello', body: 'a\u202eb', tag: 'ab' });
    expectSameAsZod(texts, { title: 'Hello', body: 'x'.repeat(9), tag: 'ab' });
    expectSameAsZod(texts, { title: 'Hello', body: '', tag: 'ABC' });
    expectSameAsZod(texts, { title: 4, body: '', tag: 'ab' });
  });

  it('runs zod itself for schemas it does not compile', () => {
    const trimmed = z.object({ name: z.string().trim(), size: z.number().default(3) });
    expectSameAsZod(trimmed, { name: '  padded  ' });
    expectSameAsZod(trimmed, { name: 4 });
  });
});

describe('isZodUuid', () => {
  const pattern = (z.uuid() as unknown as { _zod: { def: { pattern: RegExp } } })._zod.def.pattern;
  it('agrees with zod’s uuid pattern', () => {
    const samples = [
      ID,
      ID.toUpperCase(),
      '00000000-0000-0000-0000-000000000000',
      'ffffffff-ffff-ffff-ffff-ffffffffffff',
      'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
      '0193a3c4-5e6f-0a8b-9c0d-1e2f3a4b5c6d',
      '0193a3c4-5e6f-9a8b-9c0d-1e2f3a4b5c6d',
      '0193a3c4-5e6f-7a8b-7c0d-1e2f3a4b5c6d',
      '0193a3c4-5e6f-7a8b-Bc0d-1e2f3a4b5c6d',
      '0193a3c4-5e6f-7a8b-cc0d-1e2f3a4b5c6d',
      '0193a3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6g',
      '0193a3c4x5e6f-7a8b-9c0d-1e2f3a4b5c6d',
      `${ID}\n`,
      ID.slice(1),
      '',
    ];
    // And random mutations of a valid one, one character at a time.
    const alphabet = '0123456789abcdefABCDEFgG-x9';
    for (let index = 0; index < 36; index++)
      for (const char of alphabet) samples.push(ID.slice(0, index) + char + ID.slice(index + 1));
    for (const sample of samples) expect([sample, isZodUuid(sample)]).toEqual([sample, pattern.test(sample)]);
  });
});
