import { labels, selector, type K8sObject } from './k8s-object.ts';
import type { PlatformService } from './platform-services.ts';
import { servicePort } from './ports.ts';
import { metricsPortOf, PROMETHEUS_POD } from './scrape-config.ts';

/**
 * Who may open a connection to a service's serving port: for a data service, the application
 * services that call a context it hosts (config/topology.ts); for an application service, the
 * gateway (and, for the token issuer, the services that fetch its JWKS); the gateway and the short
 * domain from anywhere (the ingress in front of them); the admin port from Prometheus' pods. The
 * namespace's default deny refuses the rest.
 */
export function networkPolicy(svc: PlatformService): K8sObject {
  const port = servicePort(svc);
  const metrics = metricsPortOf(svc);
  const from =
    svc.tier === 'gateway' || svc.tier === 'link-redirect'
      ? undefined
      : [
          {
            podSelector: {
              matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: svc.callers }],
            },
          },
        ];
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: svc.name, labels: labels(svc) },
    spec: {
      podSelector: { matchLabels: selector(svc.name) },
      policyTypes: ['Ingress'],
      ingress: [
        { ...(from === undefined ? {} : { from }), ports: [{ protocol: 'TCP', port: port.name }] },
        // Prometheus, and only it, reaches the admin port for /metrics.
        ...(metrics === undefined
          ? []
          : [
              {
                from: [{ namespaceSelector: {}, podSelector: { matchLabels: PROMETHEUS_POD } }],
                ports: [{ protocol: 'TCP', port: metrics.name }],
              },
            ]),
      ],
    },
  };
}

export function defaultDeny(): K8sObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'default-deny-ingress', labels: { 'app.kubernetes.io/part-of': 'strata' } },
    spec: { podSelector: {}, policyTypes: ['Ingress'] },
  };
}
