// The payment simulator as its own process: settings from the environment, one JSON log line per
// event, a `serving on` line once it listens, and SIGINT/SIGTERM stop it (pending deliveries too).
import { pino } from 'pino';
import { startPaymentSimulator } from './payment-simulator.ts';
import { readSimulatorEnv } from './simulator-config.ts';

const config = readSimulatorEnv(process.env);
if (!config.ok) {
  console.error(
    `payment-simulator cannot start, its environment is invalid:\n  ${config.problems.join('\n  ')}`,
  );
  process.exit(2);
}
const { env } = config;
const logger = pino({ level: env.PAYMENT_SIMULATOR_LOG_LEVEL, base: { service: 'payment-simulator' } });

let simulator;
try {
  simulator = await startPaymentSimulator(env, logger);
} catch (error) {
  logger.fatal(
    { err: error },
    `payment-simulator cannot listen on ${env.PAYMENT_SIMULATOR_HOST}:${env.PAYMENT_SIMULATOR_PORT}: ${(error as Error).message}` +
      ' (another process holds the port? PAYMENT_SIMULATOR_PORT=0 picks a free one)',
  );
  process.exit(1);
}
const running = simulator;
logger.info(
  {
    port: running.port,
    url: running.url,
    webhookUrl: env.PAYMENT_SIMULATOR_WEBHOOK_URL ?? null,
    chaos: env.PAYMENT_SIMULATOR_CHAOS,
  },
  `payment-simulator serving on ${running.url} (webhooks to ${env.PAYMENT_SIMULATOR_WEBHOOK_URL ?? 'nowhere until PUT /v1/webhook-endpoint'}, chaos ${env.PAYMENT_SIMULATOR_CHAOS})`,
);

let stopping = false;
const stop = (reason: string): void => {
  if (stopping) return;
  stopping = true;
  logger.info(`${reason}: stopping`);
  running.stop().then(
    () => {
      logger.info('payment-simulator stopped');
      process.exit(0);
    },
    (error: unknown) => {
      logger.error({ err: error }, 'payment-simulator did not stop cleanly');
      process.exit(1);
    },
  );
};
process.once('SIGINT', () => stop('SIGINT received'));
process.once('SIGTERM', () => stop('SIGTERM received'));
// The platform's process supervisor (and the test helper) sets STRATA_SUPERVISED=1 and holds a pipe
// on stdin: when it ends, the parent is gone, and the simulator stops instead of living on as an
// orphan holding its port. The same protocol as @strata/runtime's stopWhenSupervisorLeaves, kept
// here because an outside system imports nothing of the platform.
if (process.env.STRATA_SUPERVISED === '1') {
  process.stdin.once('end', () => {
    stop('the supervisor is gone (stdin closed)');
    // A dead supervisor took our stdout's reader with it: a line buffered at exit would make pino's
    // exit flush (sonic-boom's flushSync) retry a write to the closed pipe forever, and the
    // process would hang instead of exiting. Nothing more is logged once the stop line is out.
    logger.level = 'silent';
  });
  process.stdin.resume();
  process.stdin.unref();
}
