import type { z } from '@strata/shared-kernel';

/**
 * zod stays the one source of truth for every payload and answer the RPC checks; this only makes
 * the common case (a value zod accepts) cheaper. A schema built from the kinds below is turned
 * once into a plain function that checks a value and builds the same output zod would (new
 * objects and arrays in shape order, unknown keys stripped). Whenever that function is not sure
 * (a check fails, a kind or check it does not know, a strict object with an extra key), zod
 * parses the value itself, so every refusal, and its issues, is zod's own.
 *
 * Measured on the bench's 1 KB course draft: zod's safeParse ≈5–13 µs (a payload object and an
 * issues array per field, most of it garbage); this ≈0.5–1 µs (docs/adr/0034).
 */
const REFUSED: unique symbol = Symbol('refused');
type Parse = (value: unknown) => unknown;

/** What zod's own schemas carry at runtime; only the fields read here. */
interface ZodInternals {
  def: {
    type: string;
    coerce?: boolean;
    checks?: { _zod: ZodInternals }[];
    format?: string;
    pattern?: RegExp;
    check?: string;
    minimum?: number;
    maximum?: number;
    length?: number;
    value?: number;
    inclusive?: boolean;
    innerType?: { _zod: ZodInternals };
    element?: { _zod: ZodInternals };
    shape?: Record<string, { _zod: ZodInternals }>;
    catchall?: { _zod: ZodInternals };
  };
  traits: Set<string>;
  values?: Set<unknown>;
  optin?: string;
  optout?: string;
}

/** String formats zod checks with nothing but their pattern (its other formats run code of their own). */
const PATTERN_FORMATS = new Set([
  'uuid',
  'guid',
  'email',
  'cuid',
  'cuid2',
  'ulid',
  'nanoid',
  'regex',
  'datetime',
  'date',
  'time',
  'lowercase',
  'uppercase',
]);

const compiled = new WeakMap<object, Parse | null>();

/** `schema.safeParse(value)`, with the same result, through the compiled check when it accepts. */
export function safeParsePrecompiled<S extends z.ZodType>(schema: S, value: unknown): z.ZodSafeParseResult<z.output<S>> {
  let parse = compiled.get(schema);
  if (parse === undefined) {
    parse = compile((schema as unknown as { _zod: ZodInternals })._zod) ?? null;
    compiled.set(schema, parse);
  }
  if (parse !== null) {
    const output = parse(value);
    if (output !== REFUSED) return { success: true, data: output as z.output<S> };
  }
  return schema.safeParse(value);
}

/** Whether the schema has a compiled check (otherwise every value goes to zod); for tests. */
export function isPrecompiled(schema: z.ZodType): boolean {
  safeParsePrecompiled(schema, undefined);
  return compiled.get(schema) !== null;
}

/** A parse function for the schema, or undefined when it uses anything not handled here. */
function compile(zod: ZodInternals): Parse | undefined {
  const { def } = zod;
  if (def.coerce === true) return undefined;
  switch (def.type) {
    case 'string':
      return compileString(zod);
    case 'number':
      return compileNumber(zod);
    case 'boolean':
      return noChecks(zod) ? (value) => (typeof value === 'boolean' ? value : REFUSED) : undefined;
    case 'literal':
    case 'enum': {
      const values = zod.values;
      if (!noChecks(zod) || values === undefined) return undefined;
      return (value) => (values.has(value) ? value : REFUSED);
    }
    case 'unknown':
    case 'any':
      return noChecks(zod) ? (value) => value : undefined;
    case 'null':
      return noChecks(zod) ? (value) => (value === null ? value : REFUSED) : undefined;
    case 'optional': {
      // An exact optional refuses undefined itself; a defaulted inner substitutes a value.
      if (!noChecks(zod) || zod.traits.has('$ZodExactOptional') || zod.optin !== 'optional') return undefined;
      const inner = compile(def.innerType!._zod);
      return inner && ((value) => (value === undefined ? undefined : inner(value)));
    }
    case 'nullable': {
      const inner = noChecks(zod) ? compile(def.innerType!._zod) : undefined;
      return inner && ((value) => (value === null ? null : inner(value)));
    }
    case 'array':
      return compileArray(zod);
    case 'object':
      return compileObject(zod);
    default:
      return undefined;
  }
}

function noChecks(zod: ZodInternals): boolean {
  return zod.def.checks === undefined || zod.def.checks.length === 0;
}

/**
 * min/max/exact length as zod measures it: elements for arrays, code points for strings (counted
 * only when the UTF-16 length leaves the answer in doubt, as zod does).
 */
function lengthCheck(check: ZodInternals['def']): ((value: string | unknown[]) => boolean) | undefined {
  switch (check.check) {
    case 'min_length': {
      const minimum = check.minimum!;
      return (value) =>
        value.length >= minimum &&
        (typeof value !== 'string' || value.length >= minimum * 2 || codePointLength(value) >= minimum);
    }
    case 'max_length': {
      const maximum = check.maximum!;
      return (value) =>
        value.length <= maximum || (typeof value === 'string' && codePointLength(value) <= maximum);
    }
    case 'length_equals': {
      const exact = check.length!;
      return (value) => (typeof value === 'string' ? codePointLength(value) : value.length) === exact;
    }
    default:
      return undefined;
  }
}

/**
 * zod's uuid pattern (any version 1–8, RFC variant, or the nil and max uuids), which is most of a
 * contract's checks: ids. Tested by hand it costs a tenth of the regex (≈0.8 µs here).
 */
const ZOD_UUID_SOURCE =
  '^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$';

export function isZodUuid(value: string): boolean {
  if (value.length !== 36) return false;
  for (let index = 0; index < 36; index++) {
    const code = value.charCodeAt(index);
    if (index === 8 || index === 13 || index === 18 || index === 23) {
      if (code !== 45) return false;
    } else if (!isHex(code)) return false;
  }
  const version = value.charCodeAt(14);
  const variant = value.charCodeAt(19) | 0x20;
  if (version >= 49 && version <= 56 && (variant === 56 || variant === 57 || variant === 97 || variant === 98))
    return true;
  return value === '00000000-0000-0000-0000-000000000000' || value === 'ffffffff-ffff-ffff-ffff-ffffffffffff';
}

function isHex(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 97 && code <= 102) || (code >= 65 && code <= 70);
}

function patternCheck(check: ZodInternals['def']): ((value: string) => boolean) | undefined {
  const { pattern, format } = check;
  if (!(pattern instanceof RegExp) || format === undefined || !PATTERN_FORMATS.has(format)) return undefined;
  if (format === 'uuid' && pattern.source === ZOD_UUID_SOURCE && pattern.flags === '') return isZodUuid;
  return (value) => {
    pattern.lastIndex = 0;
    return pattern.test(value);
  };
}

function compileString(zod: ZodInternals): Parse | undefined {
  const tests: ((value: string) => boolean)[] = [];
  // A format schema (z.uuid(), z.email()) is its own first check.
  if (zod.def.check !== undefined) {
    const own = patternCheck(zod.def);
    if (own === undefined) return undefined;
    tests.push(own);
  }
  for (const check of zod.def.checks ?? []) {
    const length = lengthCheck(check._zod.def);
    const pattern = length === undefined ? patternCheck(check._zod.def) : undefined;
    if (length !== undefined) tests.push(length);
    else if (pattern !== undefined) tests.push(pattern);
    else return undefined;
  }
  return (value) => {
    if (typeof value !== 'string') return REFUSED;
    for (let index = 0; index < tests.length; index++) if (!tests[index]!(value)) return REFUSED;
    return value;
  };
}

function compileNumber(zod: ZodInternals): Parse | undefined {
  const tests: ((value: number) => boolean)[] = [];
  const checks = [...(zod.def.check === undefined ? [] : [zod.def]), ...(zod.def.checks ?? []).map((c) => c._zod.def)];
  for (const check of checks) {
    switch (check.check) {
      case 'number_format':
        if (check.format !== 'safeint') return undefined;
        tests.push(Number.isSafeInteger);
        break;
      case 'greater_than': {
        const bound = check.value!;
        tests.push(check.inclusive === true ? (value) => value >= bound : (value) => value > bound);
        break;
      }
      case 'less_than': {
        const bound = check.value!;
        tests.push(check.inclusive === true ? (value) => value <= bound : (value) => value < bound);
        break;
      }
      default:
        return undefined;
    }
  }
  return (value) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) return REFUSED;
    for (let index = 0; index < tests.length; index++) if (!tests[index]!(value)) return REFUSED;
    return value;
  };
}

function compileArray(zod: ZodInternals): Parse | undefined {
  const element = compile(zod.def.element!._zod);
  if (element === undefined) return undefined;
  const tests: ((value: unknown[]) => boolean)[] = [];
  for (const check of zod.def.checks ?? []) {
    const length = lengthCheck(check._zod.def);
    if (length === undefined) return undefined;
    tests.push(length);
  }
  return (value) => {
    if (!Array.isArray(value)) return REFUSED;
    for (let index = 0; index < tests.length; index++) if (!tests[index]!(value)) return REFUSED;
    const output = new Array<unknown>(value.length);
    for (let index = 0; index < value.length; index++) {
      const item = element(value[index]);
      if (item === REFUSED) return REFUSED;
      output[index] = item;
    }
    return output;
  };
}

interface Field {
  readonly key: string;
  readonly parse: Parse;
  /** Optional in and out: an absent key is left absent; otherwise an absent key is refused. */
  readonly optional: boolean;
}

function compileObject(zod: ZodInternals): Parse | undefined {
  if (!noChecks(zod)) return undefined;
  const { shape, catchall } = zod.def;
  // Unknown keys are stripped (no catchall) or refused (strict); anything else passes them through.
  const strict = catchall !== undefined && catchall._zod.def.type === 'never';
  if (catchall !== undefined && !strict) return undefined;
  const fields: Field[] = [];
  for (const key of Object.keys(shape!)) {
    if (key === '__proto__') return undefined;
    const field = shape![key]!._zod;
    const optional = field.optin === 'optional' && field.optout === 'optional';
    if (!optional && field.optin !== undefined) return undefined;
    const parse = compile(field);
    if (parse === undefined) return undefined;
    fields.push({ key, parse, optional });
  }
  const known = new Set(fields.map((field) => field.key));
  return (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return REFUSED;
    const input = value as Record<string, unknown>;
    if (strict) for (const key of Object.keys(input)) if (!known.has(key)) return REFUSED;
    const output: Record<string, unknown> = {};
    for (let index = 0; index < fields.length; index++) {
      const field = fields[index]!;
      if (!(field.key in input)) {
        if (field.optional) continue;
        return REFUSED;
      }
      const parsed = field.parse(input[field.key]);
      if (parsed === REFUSED) return REFUSED;
      output[field.key] = parsed;
    }
    return output;
  };
}

/** As zod counts a string's length: a surrogate pair is one character. */
function codePointLength(text: string): number {
  let count = text.length;
  for (let index = 0; index < text.length - 1; index++) {
    if ((text.charCodeAt(index) & 0xfc00) === 0xd800 && (text.charCodeAt(index + 1) & 0xfc00) === 0xdc00) {
      count--;
      index++;
    }
  }
  return count;
}
