import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { ProcessSupervisor, RunningProcess } from '@strata/runtime';

/** Bound on a hung start on a busy 2-core machine, not a performance claim. */
const READY_TIMEOUT_MS = 60_000;

export interface RunningPaymentSimulator {
  /** The provider's base URL: commerce-service's STRATA_PAYMENT_PROVIDER_URL. */
  readonly url: string;
  /** Signs every webhook: the receiving service's STRATA_PAYMENT_WEBHOOK_SECRET. */
  readonly webhookSecret: string;
  readonly process: RunningProcess;
}

/**
 * The payment simulator (tools/payment-simulator, an outside provider stood in) as its own process
 * under the platform's supervisor, both run modes alike: a free port, a webhook secret made for
 * this run only, and `STRATA_SUPERVISED=1` so it stops with the supervisor however that ends.
 * Webhooks go nowhere until the receiving service points it at its endpoint.
 */
export async function startPaymentSimulator(
  supervisor: ProcessSupervisor,
  options: { root: string; logDir: string; logLevel: string; env: Record<string, string | undefined> },
): Promise<RunningPaymentSimulator> {
  const webhookSecret = randomBytes(24).toString('hex');
  const running = await supervisor.start({
    name: 'payment-simulator',
    command: process.execPath,
    args: [join(options.root, 'tools/payment-simulator/src/main.ts')],
    cwd: options.root,
    env: {
      ...(options.env as Record<string, string>),
      PAYMENT_SIMULATOR_PORT: '0',
      PAYMENT_SIMULATOR_WEBHOOK_SECRET: webhookSecret,
      // Its `serving on` line is an info line: quieter levels would hide the readiness it is waited for.
      PAYMENT_SIMULATOR_LOG_LEVEL: ['debug', 'trace'].includes(options.logLevel) ? options.logLevel : 'info',
      STRATA_SUPERVISED: '1',
    },
    logFile: join(options.logDir, 'payment-simulator.log'),
    ready: /payment-simulator serving on (http:\/\/[^\s"]+)/,
    readyTimeoutMs: READY_TIMEOUT_MS,
  });
  return { url: running.ready[1]!, webhookSecret, process: running };
}

/** The gateway path of learner-api's webhook receiver (the public `payment-webhook` route of routes.json). */
export const PAYMENT_WEBHOOK_GATEWAY_PATH = '/api/learner/payments/webhook';

/**
 * Points the simulator's webhooks at the receiver behind the gateway at `gatewayUrl`, as a
 * merchant sets its endpoint in a provider's dashboard (`PUT /v1/webhook-endpoint`); answers the
 * URL it delivers to from now on. A refusal stops the start: payments would be taken and never
 * reported.
 */
export async function pointWebhooksAt(
  simulator: RunningPaymentSimulator,
  gatewayUrl: string,
): Promise<string> {
  const url = new URL(PAYMENT_WEBHOOK_GATEWAY_PATH, gatewayUrl).toString();
  const response = await fetch(`${simulator.url}/v1/webhook-endpoint`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url }),
    signal: AbortSignal.timeout(10_000),
  });
  if (response.status !== 200) {
    throw new Error(
      `the payment simulator refused its webhook endpoint ${url}: ${response.status} ${await response.text()}`,
    );
  }
  return url;
}
