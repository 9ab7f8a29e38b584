import type { z } from '@strata/shared-kernel';

/**
 * zod stays the one source of truth for every payload and answer the RPC checks; this only makes
 * the common case (a value zod accepts) cheaper. A schema built from the kinds compile-check.ts knows is turned
 * once into a plain function (generated source, as zod's own object fast path is) that checks a
 * value and builds the same output zod would: new objects and arrays, keys in shape order,
 * unknown keys stripped. Whenever that function is not sure (a check fails, a kind or check it
 * does not know, a strict object with an extra key), zod parses the value itself, so every
 * refusal, and its issues, is zod's own (docs/adr/0034-contract-checks-compiled-from-zod.md).
 */
import { compile, REFUSED, type Parse } from './compile-check.ts';
import type { ZodInternals } from './zod-internals.ts';

export { isZodUuid } from './string-checks.ts';

const compiled = new WeakMap<object, Parse | null>();
/** The same checks without building the output, for callers that send the value they checked. */
const checks = new WeakMap<object, Parse | null>();

/** `schema.safeParse(value)`, with the same result, through the compiled check when it accepts. */
export function safeParsePrecompiled<S extends z.ZodType>(
  schema: S,
  value: unknown,
): z.ZodSafeParseResult<z.output<S>> {
  let parse = compiled.get(schema);
  if (parse === undefined) {
    parse = compile((schema as unknown as { _zod: ZodInternals })._zod, true) ?? null;
    compiled.set(schema, parse);
  }
  if (parse !== null) {
    const output = parse(value);
    if (output !== REFUSED) return { success: true, data: output as z.output<S> };
  }
  return schema.safeParse(value);
}

/**
 * zod's error when it refuses the value, undefined when it accepts it: `schema.safeParse(value)`
 * for a caller that keeps the value it checked (the contract client sends the caller's own input),
 * so the compiled check builds no copy of it (a ~1 KB payload's tree of objects per call).
 */
export function refusalOf(schema: z.ZodType, value: unknown): z.ZodError | undefined {
  let check = checks.get(schema);
  if (check === undefined) {
    check = compile((schema as unknown as { _zod: ZodInternals })._zod, false) ?? null;
    checks.set(schema, check);
  }
  if (check !== null && check(value) !== REFUSED) return undefined;
  const parsed = schema.safeParse(value);
  return parsed.success ? undefined : parsed.error;
}

/** Whether the schema has a compiled check (otherwise every value goes to zod); for tests. */
export function isPrecompiled(schema: z.ZodType): boolean {
  safeParsePrecompiled(schema, undefined);
  return compiled.get(schema) !== null;
}
