// Helpers for tests that talk to the payment simulator, published as `@strata/payment-simulator/test-support`.
export { answerPayment } from './answer-payment.ts';
export { startSimulatorProcess, type SimulatorProcess } from './start-simulator-process.ts';
export { startTestSimulator, usePaymentSimulator } from './use-payment-simulator.ts';
export { startWebhookReceiver, type ReceivedDelivery, type WebhookReceiver } from './webhook-receiver.ts';
