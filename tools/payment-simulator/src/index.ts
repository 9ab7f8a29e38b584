export { startPaymentSimulator, type RunningSimulator } from './payment-simulator.ts';
export type { Payment, PaymentEvent, PaymentEventType, PaymentStatus, Refund } from './payment.ts';
export { readSimulatorEnv, simulatorEnvSchema, type SimulatorEnv } from './simulator-config.ts';
export { SIGNATURE_HEADER, signatureHeader } from './webhook-signature.ts';
