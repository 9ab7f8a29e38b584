import type { Redis } from 'ioredis';
import { z } from '@strata/shared-kernel';
import { cacheLoggerSchema } from './cache-logger.ts';

export const redisCacheOptionsSchema = z.object({
  // Duck-typed rather than instanceof: a service may resolve its own copy of ioredis.
  client: z.custom<Redis>(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      ['get', 'set', 'eval', 'multi'].every(
        (method) => typeof (value as Record<string, unknown>)[method] === 'function',
      ),
    'expected an ioredis client',
  ),
  /** Namespaces this cache's keys, e.g. 'learner-api:'; two caches on one Redis must differ. */
  prefix: z.string().min(1).max(100),
  logger: cacheLoggerSchema,
  /** How long the lock keeps other instances waiting if its holder dies mid-load. */
  lockTtlMs: z.number().int().positive().default(10_000),
  /** How long an instance waits for another's load before loading itself (never deadlock). */
  lockWaitMs: z.number().int().nonnegative().default(1_000),
  /** How often a waiting instance looks for the value. */
  lockPollMs: z.number().int().positive().default(20),
  /** Largest share of a TTL the jitter may cut, 0 to turn it off. */
  ttlJitter: z.number().min(0).max(0.5).default(0.1),
  /** One warning per operation kind per window while Redis fails. */
  warningWindowMs: z.number().int().positive().default(10_000),
});

export type RedisCacheOptions = z.input<typeof redisCacheOptionsSchema>;

export const connectOptionsSchema = z.object({
  url: z.string().regex(/^rediss?:\/\//, 'expected a redis:// or rediss:// URL'),
  /** Bound on every command, so a hung Redis costs a read at most this much before the loader answers. */
  commandTimeoutMs: z.number().int().positive().default(500),
  /** Bound on opening the connection, at start and on every reconnect. */
  connectTimeoutMs: z.number().int().positive().default(2_000),
});

export type RedisCacheConnectOptions = Omit<RedisCacheOptions, 'client'> &
  z.input<typeof connectOptionsSchema>;
