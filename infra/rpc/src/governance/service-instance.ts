import { z } from '@strata/shared-kernel';

/**
 * One running copy of a service, as it announces itself to the registry. The same shape is
 * stored in etcd, read from static config and held in memory, so it is validated wherever it
 * enters: a malformed registration must not reach a balancer.
 */
export const serviceInstanceSchema = z.object({
  /** Unique per process; a restarted process registers under a new id. */
  id: z
    .string()
    .min(1)
    .regex(/^[^/]+$/, 'must not contain "/" (it is a registry key segment)'),
  service: z
    .string()
    .min(1)
    .regex(/^[^/]+$/, 'must not contain "/" (it is a registry key segment)'),
  host: z.string().min(1),
  port: z.number().int().min(0).max(65535),
  /** The build the instance runs, for canaries and for operators reading the registry. */
  version: z.string().min(1).default('0.0.0'),
  /** Whether the instance listens with mutual TLS; a client must not speak plaintext to it. */
  tls: z.boolean().default(false),
});

export type ServiceInstance = z.output<typeof serviceInstanceSchema>;
export type ServiceInstanceInput = z.input<typeof serviceInstanceSchema>;

/** Validates an instance and answers an error naming the field and the reason. */
export function parseServiceInstance(input: unknown, origin: string): ServiceInstance {
  const parsed = serviceInstanceSchema.safeParse(input);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new Error(`invalid service instance from ${origin}: ${reasons.join('; ')}`);
  }
  return parsed.data;
}
