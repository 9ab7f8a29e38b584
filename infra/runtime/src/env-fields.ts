import { RateLimitSchema, z } from '@strata/shared-kernel';

/*
 * The field types every process's environment schema is made of, so `STRATA_*_PORT`, a `0`/`1`
 * switch or a comma-separated list read the same way, and fail with the same words, everywhere.
 */

/** `0` or `1`; anything else (`true`, `yes`) is refused rather than guessed at. */
export const flag = z.enum(['0', '1']).transform((value) => value === '1');

/** A TCP port; 0 asks the system for a free one. */
export const port = z.coerce.number().int().min(0).max(65_535);

/** `host:port`, e.g. a data service reached at one static address. */
export const hostPort = z.string().regex(/^[^:\s]+:\d{1,5}$/, 'must be host:port');

export const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']);

/** A comma-separated list of at least one item, each item checked by `item`; blanks around commas are ignored. */
export function listOf<T extends z.ZodType<unknown, string>>(item: T) {
  return z
    .string()
    .transform((value) => value.split(',').map((entry) => entry.trim()))
    .pipe(z.array(item).min(1));
}

/** A comma-separated list of at least one non-empty string. */
export const list = listOf(z.string().min(1));

/**
 * Client-side rate limits by data service, `service=calls-per-second/burst` comma-separated, e.g.
 * `commerce-service=5000/1000`: the deployment's own, in place of what the contracts declare.
 */
export const rateLimits = listOf(
  z
    .string()
    .regex(
      /^[a-z][a-z0-9-]*=\d+(\.\d+)?\/\d+$/,
      'must be service=calls-per-second/burst, e.g. commerce-service=5000/1000',
    ),
)
  .transform((entries) =>
    Object.fromEntries(
      entries.map((entry) => {
        const [service, limit] = entry.split('=') as [string, string];
        const [ratePerSecond, burst] = limit.split('/').map(Number) as [number, number];
        return [service, { ratePerSecond, burst }];
      }),
    ),
  )
  .refine(
    (limits) => Object.values(limits).every((limit) => RateLimitSchema.safeParse(limit).success),
    'each rate must be above 0 and each burst at least 1',
  );

/**
 * STRATA_DEPLOYMENT: names a deployment so two can share one MariaDB, Redis, etcd and Kafka (a test
 * run beside a developer's); schemas, registry prefix, Redis keys and topics are named after it.
 */
export const deploymentName = z
  .string()
  .regex(/^[a-z][a-z0-9]{0,15}$/, 'lower-case letters and digits, starting with a letter, at most 16');

/** A `redis://` or `rediss://` URL. */
export const redisUrl = z.url({ protocol: /^rediss?$/ });
