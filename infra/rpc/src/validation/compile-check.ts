import { codePointLength, isZodUuid, ZOD_UUID_SOURCE } from './string-checks.ts';
import type { ZodInternals } from './zod-internals.ts';

/**
 * Turns a zod schema into a plain function that checks a value and builds zod's output, or says
 * it is not sure (`REFUSED`), read from zod's runtime internals (docs/adr/0034). The cache and
 * the fall-back to zod for every refusal are precompiled-schema.ts's.
 */
export const REFUSED: unique symbol = Symbol('refused');
export type Parse = (value: unknown) => unknown;

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

/** Generated source for one schema: statements that either `return R` or leave the output in `out`. */
interface Emitted {
  code: string;
  out: string;
}

/** Builds the source of one parse function; values it needs (patterns, value sets) go in `refs`. */
class Emitter {
  readonly refs: unknown[] = [];
  /** False: the same checks, but objects and arrays are not copied and the input is the output. */
  readonly #build: boolean;
  #names = 0;

  constructor(build: boolean) {
    this.#build = build;
  }

  name(prefix: string): string {
    return `${prefix}${this.#names++}`;
  }

  ref(value: unknown): string {
    this.refs.push(value);
    return `refs[${this.refs.length - 1}]`;
  }

  emit(zod: ZodInternals, input: string): Emitted | undefined {
    const { def } = zod;
    if (def.coerce === true) return undefined;
    switch (def.type) {
      case 'string':
        return this.#string(zod, input);
      case 'number':
        return this.#number(zod, input);
      case 'boolean':
        return noChecks(zod)
          ? { code: `if (typeof ${input} !== 'boolean') return R;`, out: input }
          : undefined;
      case 'literal':
      case 'enum':
        if (!noChecks(zod) || zod.values === undefined) return undefined;
        return { code: `if (!${this.ref(zod.values)}.has(${input})) return R;`, out: input };
      case 'unknown':
      case 'any':
        return noChecks(zod) ? { code: '', out: input } : undefined;
      case 'null':
        return noChecks(zod) ? { code: `if (${input} !== null) return R;`, out: input } : undefined;
      case 'optional':
        // An exact optional refuses undefined itself; a defaulted inner substitutes a value.
        if (!noChecks(zod) || zod.traits.has('$ZodExactOptional') || zod.optin !== 'optional')
          return undefined;
        return this.#either(def.innerType!._zod, input, 'undefined');
      case 'nullable':
        return noChecks(zod) ? this.#either(def.innerType!._zod, input, 'null') : undefined;
      case 'array':
        return this.#array(zod, input);
      case 'object':
        return this.#object(zod, input);
      default:
        return undefined;
    }
  }

  /** `input` itself when it is `absent` (undefined or null), else the inner schema's output. */
  #either(inner: ZodInternals, input: string, absent: string): Emitted | undefined {
    const emitted = this.emit(inner, input);
    if (emitted === undefined) return undefined;
    if (!this.#build) return { code: `if (${input} !== ${absent}) { ${emitted.code} }`, out: input };
    const out = this.name('o');
    return {
      code: `let ${out} = ${absent}; if (${input} !== ${absent}) { ${emitted.code} ${out} = ${emitted.out}; }`,
      out,
    };
  }

  #lengthCheck(check: ZodInternals['def'], input: string, isString: boolean): string | undefined {
    // Strings are measured in code points, counted only when the UTF-16 length leaves it in doubt.
    switch (check.check) {
      case 'min_length': {
        const minimum = check.minimum!;
        return isString
          ? `if (${input}.length < ${minimum} || (${input}.length < ${minimum * 2} && cpl(${input}) < ${minimum})) return R;`
          : `if (${input}.length < ${minimum}) return R;`;
      }
      case 'max_length': {
        const maximum = check.maximum!;
        return isString
          ? `if (${input}.length > ${maximum} && cpl(${input}) > ${maximum}) return R;`
          : `if (${input}.length > ${maximum}) return R;`;
      }
      case 'length_equals':
        return isString
          ? `if (cpl(${input}) !== ${check.length!}) return R;`
          : `if (${input}.length !== ${check.length!}) return R;`;
      default:
        return undefined;
    }
  }

  #patternCheck(check: ZodInternals['def'], input: string): string | undefined {
    const { pattern, format } = check;
    if (!(pattern instanceof RegExp) || format === undefined || !PATTERN_FORMATS.has(format))
      return undefined;
    if (format === 'uuid' && pattern.source === ZOD_UUID_SOURCE && pattern.flags === '')
      return `if (!uuid(${input})) return R;`;
    const regex = this.ref(pattern);
    return `${regex}.lastIndex = 0; if (!${regex}.test(${input})) return R;`;
  }

  #string(zod: ZodInternals, input: string): Emitted | undefined {
    const lines = [`if (typeof ${input} !== 'string') return R;`];
    // A format schema (z.uuid(), z.email()) is its own first check.
    if (zod.def.check !== undefined) {
      const own = this.#patternCheck(zod.def, input);
      if (own === undefined) return undefined;
      lines.push(own);
    }
    // The value the next check sees: an overwrite (`.trim()`, which every plainText field has)
    // replaces it, as zod's own check loop does, in the order the checks were declared.
    let value = input;
    for (const check of zod.def.checks ?? []) {
      const def = check._zod.def;
      if (def.check === 'overwrite') {
        if (typeof def.tx !== 'function') return undefined;
        const tx = this.ref(def.tx);
        if (!this.#build) {
          // Nothing is built here: a value the overwrite would change goes to zod, which says.
          lines.push(`if (${tx}(${value}) !== ${value}) return R;`);
          continue;
        }
        const next = this.name('s');
        lines.push(`const ${next} = ${tx}(${value});`);
        value = next;
        continue;
      }
      const line = this.#lengthCheck(def, value, true) ?? this.#patternCheck(def, value);
      if (line === undefined) return undefined;
      lines.push(line);
    }
    return { code: lines.join(' '), out: value };
  }

  #number(zod: ZodInternals, input: string): Emitted | undefined {
    const lines = [`if (typeof ${input} !== 'number' || !Number.isFinite(${input})) return R;`];
    const own = zod.def.check === undefined ? [] : [zod.def];
    for (const check of [...own, ...(zod.def.checks ?? []).map((c) => c._zod.def)]) {
      switch (check.check) {
        case 'number_format':
          if (check.format !== 'safeint') return undefined;
          lines.push(`if (!Number.isSafeInteger(${input})) return R;`);
          break;
        case 'greater_than':
          lines.push(
            `if (!(${input} ${check.inclusive === true ? '>=' : '>'} ${Number(check.value)})) return R;`,
          );
          break;
        case 'less_than':
          lines.push(
            `if (!(${input} ${check.inclusive === true ? '<=' : '<'} ${Number(check.value)})) return R;`,
          );
          break;
        default:
          return undefined;
      }
    }
    return { code: lines.join(' '), out: input };
  }

  #array(zod: ZodInternals, input: string): Emitted | undefined {
    const lines = [`if (!Array.isArray(${input})) return R;`];
    for (const check of zod.def.checks ?? []) {
      const line = this.#lengthCheck(check._zod.def, input, false);
      if (line === undefined) return undefined;
      lines.push(line);
    }
    const index = this.name('i');
    const item = this.name('v');
    const element = this.emit(zod.def.element!._zod, item);
    if (element === undefined) return undefined;
    if (!this.#build) {
      lines.push(
        `for (let ${index} = 0; ${index} < ${input}.length; ${index}++) { const ${item} = ${input}[${index}]; ${element.code} }`,
      );
      return { code: lines.join(' '), out: input };
    }
    const out = this.name('o');
    lines.push(
      `const ${out} = new Array(${input}.length);`,
      `for (let ${index} = 0; ${index} < ${input}.length; ${index}++) { const ${item} = ${input}[${index}]; ${element.code} ${out}[${index}] = ${element.out}; }`,
    );
    return { code: lines.join(' '), out };
  }

  #object(zod: ZodInternals, input: string): Emitted | undefined {
    if (!noChecks(zod)) return undefined;
    const { shape, catchall } = zod.def;
    // Unknown keys are stripped (no catchall) or refused (strict); anything else passes them through.
    const strict = catchall !== undefined && catchall._zod.def.type === 'never';
    if (catchall !== undefined && !strict) return undefined;
    const keys = Object.keys(shape!);
    const out = this.name('o');
    const lines = [
      `if (typeof ${input} !== 'object' || ${input} === null || Array.isArray(${input})) return R;`,
    ];
    if (strict) {
      const known = this.ref(new Set(keys));
      lines.push(`for (const k of Object.keys(${input})) if (!${known}.has(k)) return R;`);
    }
    if (this.#build) lines.push(`const ${out} = {};`);
    for (const key of keys) {
      if (key === '__proto__') return undefined;
      const field = shape![key]!._zod;
      // Optional in and out: an absent key stays absent; otherwise an absent key is refused.
      const optional = field.optin === 'optional' && field.optout === 'optional';
      if (!optional && field.optin !== undefined) return undefined;
      const literal = JSON.stringify(key);
      const value = this.name('f');
      const emitted = this.emit(field, value);
      if (emitted === undefined) return undefined;
      const assign = this.#build ? ` ${out}[${literal}] = ${emitted.out};` : '';
      const body = `const ${value} = ${input}[${literal}]; ${emitted.code}${assign}`;
      lines.push(
        optional
          ? `if (${literal} in ${input}) { ${body} }`
          : `if (!(${literal} in ${input})) return R; { ${body} }`,
      );
    }
    return { code: lines.join('\n'), out: this.#build ? out : input };
  }
}

function noChecks(zod: ZodInternals): boolean {
  return zod.def.checks === undefined || zod.def.checks.length === 0;
}

/**
 * A parse function for the schema (with `build` false, a check answering R or the input itself),
 * or undefined when it uses anything not handled here.
 */
export function compile(zod: ZodInternals, build: boolean): Parse | undefined {
  const emitter = new Emitter(build);
  const emitted = emitter.emit(zod, 'value');
  if (emitted === undefined) return undefined;
  try {
    // Generated from the schema's structure only: keys are JSON-quoted, values travel in `refs`.
    const factory = new Function(
      'R',
      'refs',
      'uuid',
      'cpl',
      `return function parse(value) { ${emitted.code} return ${emitted.out}; };`,
    ) as (refused: symbol, refs: unknown[], uuid: typeof isZodUuid, cpl: typeof codePointLength) => Parse;
    return factory(REFUSED, emitter.refs, isZodUuid, codePointLength);
  } catch {
    // Where code generation is not allowed (a CSP, --disallow-code-generation-from-strings), zod does it all.
    return undefined;
  }
}
