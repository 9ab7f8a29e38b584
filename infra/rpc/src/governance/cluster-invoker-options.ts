import { RateLimitSchema, z } from '@strata/shared-kernel';
import type { ConnectionFactory } from './instance-connection.ts';
import type { ServiceRegistry } from './service-registry.ts';

export const balancingSchema = z.enum(['round-robin', 'least-pending', 'consistent-hash']);

/** What a ClusterInvoker may be told; distributed mode derives it from the contracts' call policies (invoker-policy.ts). */
export const optionsSchema = z.object({
  /** Used when a request carries no deadline of its own. */
  defaultTimeoutMs: z.number().int().positive().default(5000),
  balancing: z
    .object({
      default: balancingSchema.default('least-pending'),
      services: z.record(z.string(), balancingSchema).default({}),
    })
    .default({ default: 'least-pending', services: {} }),
  retry: z
    .object({
      /** Attempts in all, the first included. */
      maxAttempts: z.number().int().min(1).max(10).default(3),
      initialDelayMs: z.number().int().min(0).default(20),
      maxDelayMs: z.number().int().min(0).default(1000),
    })
    .default({ maxAttempts: 3, initialDelayMs: 20, maxDelayMs: 1000 }),
  breaker: z
    .object({
      consecutiveFailures: z.number().int().min(1).default(5),
      halfOpenAfterMs: z.number().int().min(1).default(5000),
    })
    .default({ consecutiveFailures: 5, halfOpenAfterMs: 5000 }),
  /** Per target service; a service not listed (and no default) is not limited. */
  rateLimit: z
    .object({
      default: RateLimitSchema.optional(),
      services: z.record(z.string(), RateLimitSchema).default({}),
    })
    .default({ services: {} }),
  /** Backup requests for queries; `false` turns them off. */
  hedging: z
    .union([
      z.literal(false),
      z.object({
        /** A backup goes out when the first call has taken longer than this percentile of recent calls. */
        percentile: z.number().gt(0).max(100).default(95),
        /** At most this share of queries get a backup. */
        maxShare: z.number().gt(0).lt(1).default(0.05),
        /** Below this many recent samples the percentile means little, so no backups are sent. */
        minSamples: z.number().int().min(1).default(20),
      }),
    ])
    .default({ percentile: 95, maxShare: 0.05, minSamples: 20 }),
});

export type ClusterInvokerOptions = z.input<typeof optionsSchema> & {
  registry: ServiceRegistry;
  connect: ConnectionFactory;
};

export type ClusterInvokerConfig = z.output<typeof optionsSchema>;

export type Balancing = z.infer<typeof balancingSchema>;
