import fc from 'fast-check';
import type { JsonSchema } from './openapi-operations.ts';

// Values for a JSON Schema: valid ones (so a request can get past validation and reach the domain)
// and hostile ones (wrong types, huge and empty values, control characters, odd unicode).

/** Known identifiers by parameter or field name, so valid requests name real fixtures. */
export type Known = Record<string, readonly string[]>;

const HUGE_TEXT = 'A'.repeat(100_000);

function typeOf(schema: JsonSchema): string | undefined {
  return Array.isArray(schema.type) ? schema.type.find((type) => type !== 'null') : schema.type;
}

/** A string the pattern (if any) accepts, bounded so valid requests stay small. */
function validString(schema: JsonSchema, known: readonly string[] | undefined): fc.Arbitrary<string> {
  if (known !== undefined && known.length > 0 && schema.format === 'uuid') {
    return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: fc.uuid() });
  }
  if (schema.format === 'uuid') return fc.uuid();
  if (schema.format === 'email') {
    return fc.stringMatching(/^[a-z][a-z0-9]{2,12}$/).map((local) => `${local}@fuzz.example.org`);
  }
  if (schema.format === 'date-time')
    return fc.date({ noInvalidDate: true }).map((date) => date.toISOString());
  const min = schema.minLength ?? 0;
  const max = Math.min(schema.maxLength ?? 40, Math.max(min, 40));
  const pattern = schema.pattern === undefined ? undefined : new RegExp(schema.pattern, 'u');
  // A pattern that only excludes characters (the plain-text rule) is met by most graphemes;
  // a structural one (`^[A-Z]{3}$`, a token shape) is generated from the pattern itself.
  if (pattern !== undefined && !schema.pattern!.startsWith('^[^') && !schema.pattern!.startsWith('^(?:[^')) {
    return fc.stringMatching(pattern);
  }
  return fc
    .string({ unit: 'grapheme', minLength: min, maxLength: max })
    .map((text) => text.trim())
    .filter((text) => text.length >= min && text.length <= max && (pattern?.test(text) ?? true))
    .map((text) => (text.length === 0 && min > 0 ? 'x'.repeat(min) : text));
}

export function validValue(schema: JsonSchema, known: Known = {}, name?: string): fc.Arbitrary<unknown> {
  if (schema.enum !== undefined) return fc.constantFrom(...schema.enum);
  if (schema.const !== undefined) return fc.constant(schema.const);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives !== undefined)
    return fc.oneof(...alternatives.map((each) => validValue(each, known, name)));
  switch (typeOf(schema)) {
    case 'object': {
      const properties = schema.properties ?? {};
      const required = schema.required ?? [];
      return fc.record(
        Object.fromEntries(
          Object.entries(properties).map(([key, property]) => [key, validValue(property, known, key)]),
        ),
        { requiredKeys: required.filter((key) => key in properties) },
      );
    }
    case 'array': {
      // An array of known ids (lesson ids to reorder) is most useful as exactly those, shuffled.
      const ids = name === undefined ? undefined : known[name];
      if (ids !== undefined && ids.length > 0)
        return fc.shuffledSubarray([...ids], { minLength: ids.length });
      return fc.array(validValue(schema.items ?? {}, known), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 5, 5),
      });
    }
    case 'string':
      return validString(schema, name === undefined ? undefined : known[name]);
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 1_000_000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** C0 and C1 controls, DEL, bidi overrides, zero-width and line/paragraph separators, a BOM. */
const CONTROL_CHARACTERS = [
  ...Array.from({ length: 32 }, (_, code) => String.fromCharCode(code)),
  '\u007f',
  '\u0085',
  '\u009b',
  '\u200b',
  '\u200d',
  '\u202e',
  '\u2066',
  '\u2028',
  '\u2029',
  '\ufeff',
];

export const controlText = fc
  .tuple(
    fc.string({ maxLength: 8 }),
    // NUL ends C strings and SQLite's SQL text: it is drawn far more often than the others.
    fc.oneof(
      { weight: 1, arbitrary: fc.constant('\u0000') },
      { weight: 2, arbitrary: fc.constantFrom(...CONTROL_CHARACTERS) },
    ),
    fc.string({ maxLength: 8 }),
  )
  .map(([before, control, after]) => `${before}${control}${after}`);

/** Text that is valid UTF-16 but unusual: emoji sequences, combining marks, RTL, lone surrogates. */
export const oddUnicode = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }),
  fc.constantFrom(
    '👩‍👩‍👧‍👦',
    'e\u0301\u0301\u0301\u0301',
    'שלום עולם',
    '\ud800',
    '\udfff lone',
    'ﷺ'.repeat(30),
    '𝕳𝖊𝖑𝖑𝖔',
    'Z̸̢̛̛̹̗̳̬̈́̈́a̶l̷g̵o̶',
  ),
);

/** Strings that mean something to a shell, SQL, a template engine, a path or a prototype. */
const loaded = fc.constantFrom(
  "' or '1'='1' --",
  '%',
  '_',
  '\\',
  '"',
  '../../../../etc/passwd',
  '${jndi:ldap://x}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '__proto__',
  'constructor',
  'null',
  'undefined',
  'NaN',
  '-0',
  '1e309',
);

export const hostileString = fc.oneof(
  { weight: 3, arbitrary: controlText },
  { weight: 3, arbitrary: oddUnicode },
  { weight: 2, arbitrary: loaded },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\t', HUGE_TEXT, '€'.repeat(30_000)) },
);

/** Any JSON value a field should not hold: wrong types, extremes, empties, hostile text. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      0,
      -1,
      1.5,
      -0,
      1e308,
      -1e308,
      Number.MAX_SAFE_INTEGER + 2,
      true,
      false,
      null,
      [],
      {},
      [null],
      { '': '' },
    ),
  },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 3 }) },
);
