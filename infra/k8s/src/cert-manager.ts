import { labels, type K8sObject } from './k8s-object.ts';
import { deployedServices, type Platform } from './platform-services.ts';
import { SECRETS, usesTls } from './secrets.ts';

/**
 * cert-manager (a component, for clusters that run it): a self-signed root makes the platform's
 * own CA, and the CA issues each service a certificate naming it (CN and DNS name = service
 * name, as ADR 0004's peer check reads it) for both server and client use.
 */
export function certManager(platform: Platform): K8sObject[] {
  const partOf = { 'app.kubernetes.io/part-of': 'strata' };
  const tlsServices = deployedServices(platform).filter((svc) => usesTls(svc.tier));
  return [
    {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Issuer',
      metadata: { name: 'strata-selfsigned', labels: partOf },
      spec: { selfSigned: {} },
    },
    {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: 'strata-rpc-ca', labels: partOf },
      spec: {
        isCA: true,
        commonName: 'strata-rpc-ca',
        secretName: 'strata-rpc-ca',
        duration: '87600h',
        privateKey: { algorithm: 'ECDSA', size: 256 },
        issuerRef: { name: 'strata-selfsigned', kind: 'Issuer', group: 'cert-manager.io' },
      },
    },
    {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Issuer',
      metadata: { name: 'strata-rpc', labels: partOf },
      spec: { ca: { secretName: 'strata-rpc-ca' } },
    },
    ...tlsServices.map((svc): K8sObject => ({
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: SECRETS.tls(svc.name), labels: labels(svc) },
      spec: {
        secretName: SECRETS.tls(svc.name),
        commonName: svc.name,
        dnsNames: [svc.name],
        duration: '2160h',
        renewBefore: '360h',
        privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
        usages: ['digital signature', 'key encipherment', 'server auth', 'client auth'],
        issuerRef: { name: 'strata-rpc', kind: 'Issuer', group: 'cert-manager.io' },
      },
    })),
  ];
}
