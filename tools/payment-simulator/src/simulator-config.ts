import { z } from '@strata/shared-kernel';

const MS = z.coerce.number().int().min(1);

/**
 * The simulator's settings, all from the environment (the names are what an operator fixes when
 * the start is refused). Webhooks go to one merchant URL per process, as a provider's dashboard
 * would configure it.
 */
export const simulatorEnvSchema = z.object({
  PAYMENT_SIMULATOR_HOST: z.string().min(1).default('127.0.0.1'),
  /** 0 picks a free port; the `serving on` line says which. */
  PAYMENT_SIMULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(4242),
  /** The base URL payment page links use, when clients reach the simulator by another address. */
  PAYMENT_SIMULATOR_PUBLIC_URL: z.url().optional(),
  /** Where events are POSTed; without it payments still work and no webhook is sent (logged). */
  PAYMENT_SIMULATOR_WEBHOOK_URL: z.url().optional(),
  PAYMENT_SIMULATOR_WEBHOOK_SECRET: z
    .string({ error: 'is required: the shared secret webhooks are signed with' })
    .min(16, 'must be at least 16 characters (a generated secret)'),
  /** Attempts per delivery, the first included, before the simulator gives up on it (logged); 30 span about 23 minutes. */
  PAYMENT_SIMULATOR_DELIVERY_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(30),
  /** The wait before the second attempt; it doubles for each further one, up to the maximum. */
  PAYMENT_SIMULATOR_RETRY_BASE_MS: MS.default(500),
  PAYMENT_SIMULATOR_RETRY_MAX_MS: MS.default(60_000),
  /** How long one delivery attempt may take before it counts as failed. */
  PAYMENT_SIMULATOR_DELIVERY_TIMEOUT_MS: MS.default(5_000),
  /** `on`: every event is delivered twice, the copy held back until the payment's next event went out. */
  PAYMENT_SIMULATOR_CHAOS: z.enum(['on', 'off']).default('off'),
  /** In chaos mode, how long a held-back copy waits for a later event before it goes anyway. */
  PAYMENT_SIMULATOR_CHAOS_HOLD_MS: MS.default(2_000),
  PAYMENT_SIMULATOR_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
});

export type SimulatorEnv = z.output<typeof simulatorEnvSchema>;

/** The parsed settings, or every bad variable with its reason. */
export function readSimulatorEnv(
  env: Record<string, string | undefined>,
): { ok: true; env: SimulatorEnv } | { ok: false; problems: string[] } {
  const parsed = simulatorEnvSchema.safeParse(env);
  if (parsed.success) return { ok: true, env: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`,
    ),
  };
}
