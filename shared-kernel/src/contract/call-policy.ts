import { z } from 'zod';

/**
 * How callers reach the data service hosting a context: declared once, beside the contract, and
 * read by both run modes (the contract client's timeout embedded and distributed, governance's
 * balancer, rate limit and hedging distributed). What may be repeated is not here but on each
 * method: queries always, commands declared `idempotent`, creations and other commands only with
 * an idempotency key.
 */
/** A client-side token bucket: calls a second, and how many may go at once after a quiet spell. */
export const RateLimitSchema = z.object({
  ratePerSecond: z.number().positive(),
  burst: z.number().int().min(1),
});

export const CallPolicySchema = z
  .object({
    /**
     * How one instance is picked. `consistent-hash` keys on the aggregate id of a command or query
     * addressed to one aggregate, so one aggregate's calls land on one instance while it lives;
     * creations and finders, which address none, spread over the instances.
     */
    balancing: z.enum(['round-robin', 'least-pending', 'consistent-hash']),
    /** Per call, when the caller brings no deadline of its own (an incoming call's, say). */
    timeoutMs: z.number().int().positive(),
    /** Per calling process; absent means no client-side limit. */
    rateLimit: RateLimitSchema.strict().optional(),
    /** Whether a slow query may get a backup request to a second instance (within a small budget). */
    hedgeQueries: z.boolean(),
  })
  .strict();

export type CallPolicy = z.output<typeof CallPolicySchema>;

/** What a contract that declares nothing gets: spread the load by pending calls, five seconds a call. */
export const DEFAULT_CALL_POLICY: CallPolicy = {
  balancing: 'least-pending',
  timeoutMs: 5_000,
  hedgeQueries: true,
};

/** Validates a declared policy over the defaults, naming every bad field. */
export function callPolicy(context: string, declared: Partial<CallPolicy> = {}): CallPolicy {
  const result = CallPolicySchema.safeParse({ ...DEFAULT_CALL_POLICY, ...declared });
  if (!result.success) {
    const reasons = result.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new TypeError(`the call policy of context ${context} is invalid: ${reasons.join('; ')}`);
  }
  return result.data;
}
