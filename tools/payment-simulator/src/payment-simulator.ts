import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { SimulatorEnv } from './simulator-config.ts';
import { createSimulatorServer } from './simulator-server.ts';
import { WebhookSender } from './webhook-sender.ts';

export interface RunningSimulator {
  url: string;
  port: number;
  /** Closes HTTP and drops deliveries still waiting for a retry. */
  stop(): Promise<void>;
}

/** Starts the simulator's HTTP server and webhook sender as the environment says. */
export async function startPaymentSimulator(env: SimulatorEnv, logger: Logger): Promise<RunningSimulator> {
  let url = env.PAYMENT_SIMULATOR_PUBLIC_URL?.replace(/\/$/, '');
  const webhooks = new WebhookSender({
    url: env.PAYMENT_SIMULATOR_WEBHOOK_URL,
    secret: env.PAYMENT_SIMULATOR_WEBHOOK_SECRET,
    attempts: env.PAYMENT_SIMULATOR_DELIVERY_ATTEMPTS,
    retryBaseMs: env.PAYMENT_SIMULATOR_RETRY_BASE_MS,
    retryMaxMs: env.PAYMENT_SIMULATOR_RETRY_MAX_MS,
    timeoutMs: env.PAYMENT_SIMULATOR_DELIVERY_TIMEOUT_MS,
    chaos: env.PAYMENT_SIMULATOR_CHAOS === 'on',
    chaosHoldMs: env.PAYMENT_SIMULATOR_CHAOS_HOLD_MS,
    logger,
  });
  const server = createSimulatorServer({ publicUrl: () => url!, webhooks, logger });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(env.PAYMENT_SIMULATOR_PORT, env.PAYMENT_SIMULATOR_HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = env.PAYMENT_SIMULATOR_HOST.includes(':')
    ? `[${env.PAYMENT_SIMULATOR_HOST}]`
    : env.PAYMENT_SIMULATOR_HOST;
  url ??= `http://${host}:${port}`;
  return {
    url,
    port,
    stop: async () => {
      const dropped = webhooks.stop();
      if (dropped > 0)
        logger.warn(
          { dropped },
          `dropped ${dropped} pending webhook delivery attempt(s) on stop (state is in memory)`,
        );
      server.closeIdleConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
