// In-process use (a start script that would rather not spawn it); `src/main.ts` is the process.
export { startPaymentSimulator, type RunningSimulator } from './payment-simulator.ts';
export type { Payment, PaymentEvent, PaymentEventType, PaymentStatus, Refund } from './payment.ts';
export { readSimulatorEnv, type SimulatorEnv } from './simulator-config.ts';
