import { PAYMENT_WEBHOOK_RECEIVER, type PlatformService, type Tier } from './platform-services.ts';

/*
 * The Secrets a release reads and how a container reads them: the operator (or, for certificates,
 * cert-manager) creates them; the manifests only name them, so no secret value is ever generated.
 */

/** Where a pod mounts its TLS Secret. */
export const TLS_DIR = '/etc/strata/tls';

export const SECRETS = {
  mysql: 'strata-mysql',
  gatewayAdmin: 'strata-gateway-admin',
  paymentWebhook: 'strata-payment-webhook',
  linkRedirect: 'strata-link-redirect',
  tls: (service: string) => `strata-tls-${service}`,
};

export const secretEnv = (name: string, secret: string, key: string) => ({
  name,
  valueFrom: { secretKeyRef: { name: secret, key } },
});

/** Secret variables and the pod's own address; everything else comes from the ConfigMaps. */
export function secretsOf(service: PlatformService): Record<string, unknown>[] {
  const podIp = { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } };
  switch (service.tier) {
    case 'data-service':
      return [
        podIp,
        { name: 'STRATA_RPC_ADVERTISE_HOST', value: '$(POD_IP)' },
        secretEnv('STRATA_MYSQL_PASSWORD', SECRETS.mysql, 'password'),
        ...tlsEnv(),
      ];
    case 'application-service':
      return [
        podIp,
        { name: 'STRATA_HTTP_ADVERTISE_HOST', value: '$(POD_IP)' },
        ...(service.name === PAYMENT_WEBHOOK_RECEIVER
          ? [secretEnv('STRATA_PAYMENT_WEBHOOK_SECRET', SECRETS.paymentWebhook, 'secret')]
          : []),
        ...tlsEnv(),
      ];
    case 'gateway':
      return [secretEnv('STRATA_GATEWAY_ADMIN_TOKEN', SECRETS.gatewayAdmin, 'token')];
    case 'link-redirect':
      return [
        // Names this instance's consumer in the visit stream; a replaced pod's entries are claimed by the others.
        { name: 'STRATA_REDIRECT_INSTANCE', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        secretEnv('STRATA_VISITOR_HASH_KEY', SECRETS.linkRedirect, 'visitor-hash-key'),
        ...tlsEnv(),
      ];
    case 'payment-simulator':
      return [secretEnv('PAYMENT_SIMULATOR_WEBHOOK_SECRET', SECRETS.paymentWebhook, 'secret')];
  }
}

function tlsEnv(): Record<string, unknown>[] {
  // cert-manager's Secret layout (kubernetes.io/tls plus ca.crt); an operator's own Secrets use the same keys.
  return [
    { name: 'STRATA_TLS_CA_FILE', value: `${TLS_DIR}/ca.crt` },
    { name: 'STRATA_TLS_CERT_FILE', value: `${TLS_DIR}/tls.crt` },
    { name: 'STRATA_TLS_KEY_FILE', value: `${TLS_DIR}/tls.key` },
  ];
}

/** The tiers that hold a certificate: mutual TLS on every RPC, as server or as client. */
export const usesTls = (tier: Tier) =>
  tier === 'data-service' || tier === 'application-service' || tier === 'link-redirect';
