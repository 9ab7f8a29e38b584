import { z } from '@strata/shared-kernel';
import { CacheArgumentError } from './cache-errors.ts';

// Long keys usually mean a whole query or object was put in the key by mistake.
export const cacheKeySchema = z.string().min(1, 'a cache key cannot be empty').max(512);

const writeOptionsSchema = z.object({
  ttlMs: z.number().int().positive().max(2_147_483_647),
});

const keysSchema = z.union([cacheKeySchema, z.array(cacheKeySchema)]);

export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, context: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new CacheArgumentError(context, parsed.error);
  return parsed.data;
}

export function checkKey(key: unknown, operation: string): string {
  return parseOrThrow(cacheKeySchema, key, `cache ${operation}: invalid key`);
}

export function checkWriteOptions(options: unknown, operation: string): { ttlMs: number } {
  return parseOrThrow(writeOptionsSchema, options, `cache ${operation}: invalid options`);
}

export function checkKeys(keys: unknown): string[] {
  const parsed = parseOrThrow(keysSchema, keys, 'cache delete: invalid keys');
  return typeof parsed === 'string' ? [parsed] : [...new Set(parsed)];
}
