import type { PlatformService } from './platform-services.ts';

/** The ports every process listens on, the same in every pod of a tier. */
export const PORTS = {
  /** A data service's aggregate RPC (TCP, mutual TLS). */
  rpc: 7000,
  /** A process's admin listener (plain HTTP): `/health/*` for probes, `/metrics` for Prometheus. */
  health: 9000,
  http: 8080,
  admin: 8081,
  redirect: 8090,
  paymentSimulator: 4242,
};

/** The port a service serves on, which its Service exposes and its NetworkPolicy opens. */
export const servicePort = (service: PlatformService): { name: string; port: number } => {
  switch (service.tier) {
    case 'data-service':
      return { name: 'rpc', port: PORTS.rpc };
    case 'link-redirect':
      return { name: 'http', port: PORTS.redirect };
    case 'payment-simulator':
      return { name: 'http', port: PORTS.paymentSimulator };
    default:
      return { name: 'http', port: PORTS.http };
  }
};
