import { describe, expect, it } from '@jest/globals';
import { plainText, z } from '@strata/shared-kernel';
import { fieldRows } from '../src/field-rows.ts';

const row = (rows: ReturnType<typeof fieldRows>, path: string) => {
  const found = rows.find((candidate) => candidate.path === path);
  if (found === undefined) throw new Error(`no row ${path} in ${rows.map((r) => r.path).join(', ')}`);
  return {
    type: found.type,
    constraints: found.constraints.join('; '),
    field: found.field,
    nested: found.nested,
  };
};

describe('fieldRows: what a field table says about each field', () => {
  const schema = z.object({
    id: z.uuid(),
    email: z.email().max(254),
    title: z.string().trim().min(3).max(120),
    code: z.string().regex(/^[A-Z]{3}$/),
    status: z.enum(['draft', 'published']),
    count: z.number().int().min(1),
    ratio: z.number().gt(0).lt(1),
    tags: z.array(z.string().min(1).max(20)).max(5),
    price: z.object({ amount: z.number().int().min(0).max(100), currency: z.string().length(3) }).nullable(),
    lessons: z.array(z.object({ id: z.uuid() })),
    role: z.enum(['learner', 'instructor']).default('learner'),
    note: z.string().optional(),
    reason: z.string().nullable(),
    at: z.iso.datetime(),
    name: plainText({ minLength: 1, maxLength: 80, multiline: false }),
    about: plainText({ minLength: 0, maxLength: 500, multiline: true }),
  });
  const input = fieldRows(schema, 'input');

  it('says a bare nullable string may be null, as it does of a nullable object', () => {
    expect(row(input, 'reason')).toMatchObject({ type: 'string', constraints: 'may be null' });
  });

  it('names the format and leaves out the pattern that spells it', () => {
    expect(row(input, 'id')).toMatchObject({ type: 'string (uuid)', constraints: '' });
    expect(row(input, 'email')).toMatchObject({
      type: 'string (email)',
      constraints: 'at most 254 characters',
    });
    expect(row(input, 'at')).toMatchObject({ type: 'string (date-time)', constraints: '' });
  });

  it('gives lengths, bounds, patterns and enums in words', () => {
    expect(row(input, 'title').constraints).toBe('3 to 120 characters');
    expect(row(input, 'code').constraints).toBe('matches `^[A-Z]{3}$`');
    expect(row(input, 'name').constraints).toBe('1 to 80 characters; one line, no control characters');
    expect(row(input, 'about').constraints).toBe(
      'at most 500 characters; no control characters but line breaks and tabs',
    );
    expect(row(input, 'status')).toMatchObject({ type: 'enum', constraints: 'one of `draft`, `published`' });
    expect(row(input, 'count')).toMatchObject({ type: 'integer', constraints: 'from 1' });
    expect(row(input, 'ratio')).toMatchObject({ type: 'number', constraints: 'above 0 and below 1' });
    expect(row(input, 'tags')).toMatchObject({
      type: 'list of string',
      constraints: 'at most 5 items; each 1 to 20 characters',
    });
  });

  it('flattens nested objects and lists of objects under their top-level field', () => {
    expect(row(input, 'price')).toMatchObject({ type: 'object', constraints: 'may be null', nested: false });
    expect(row(input, 'price.amount')).toMatchObject({
      constraints: 'from 0 to 100',
      field: 'price',
      nested: true,
    });
    expect(row(input, 'price.currency').constraints).toBe('exactly 3 characters');
    expect(row(input, 'lessons[].id')).toMatchObject({
      type: 'string (uuid)',
      field: 'lessons',
      nested: true,
    });
  });

  it('marks what a caller may leave out, and the default it then gets', () => {
    expect(row(input, 'role').constraints).toBe(
      'optional; default `"learner"`; one of `learner`, `instructor`',
    );
    expect(row(input, 'note').constraints).toBe('optional');
    // In an answer, a defaulted field is always there.
    expect(row(fieldRows(schema, 'output'), 'role').constraints).toBe(
      'default `"learner"`; one of `learner`, `instructor`',
    );
  });
});
