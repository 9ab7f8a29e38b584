export type {
  MoneyAmount,
  PaymentProvider,
  ProviderPayment,
  ProviderPaymentStatus,
  ProviderRefund,
} from './payment-provider.ts';
export {
  isPaymentProviderError,
  PaymentProviderError,
  type PaymentProviderErrorCode,
} from './payment-provider-error.ts';
export { paymentWebhookEventSchema, type PaymentWebhookEvent } from './provider-payment-schema.ts';
export { SimulatorPaymentProvider, toProviderPayment } from './simulator-payment-provider.ts';
export {
  verifyWebhook,
  type WebhookHeaders,
  type WebhookRefusal,
  type WebhookRefusalCode,
  type WebhookVerification,
} from './verify-webhook.ts';
export { WEBHOOK_SIGNATURE_HEADER, webhookSignature, webhookSignatureHeader } from './webhook-signature.ts';
export { paymentProviderEnvShape, paymentWebhookEnvShape } from './payment-env.ts';
