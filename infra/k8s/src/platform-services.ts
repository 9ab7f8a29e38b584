import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Topology } from '../../../config/topology.ts';

/*
 * What runs on a cluster, read from config/topology.ts and the repository the way
 * `npm run start:distributed` reads them: a data service or application service is deployed once
 * it has a main.ts; the short domain (link-redirect) once the data service hosting links has its
 * redirect-main.ts; the gateway always. Nothing here is a hand-kept list, so a service added to the
 * topology and built appears in the manifests at the next `npm run k8s:generate`, and the check
 * (`npm run k8s:check`, and the tests) fails until it does.
 */

export type Tier = 'data-service' | 'application-service' | 'gateway' | 'link-redirect' | 'payment-simulator';

export interface PlatformService {
  name: string;
  tier: Tier;
  /** The services whose pods may open a connection to this one's serving port. */
  callers: string[];
}

export interface Platform {
  dataServices: PlatformService[];
  applicationServices: PlatformService[];
  gateway: PlatformService;
  /** Absent until the data service hosting links is built. */
  linkRedirect: PlatformService | undefined;
  /** Dev overlay only: the outside payment provider, simulated. */
  paymentSimulator: PlatformService;
  /** The data service hosting each context. */
  hostOf: (context: string) => string;
  /** Application services reading a context's events, by context. */
  consumers: (service: string) => Record<string, string[]>;
}

export const GATEWAY = 'gateway';
export const LINK_REDIRECT = 'link-redirect';
export const PAYMENT_SIMULATOR = 'payment-simulator';
/** The application service that issues access tokens; the others (and the gateway) fetch its JWKS. */
export const TOKEN_ISSUER = 'account-api';
/** The application service that receives the payment provider's webhooks. */
export const PAYMENT_WEBHOOK_RECEIVER = 'learner-api';

function built(root: string, kind: 'data-services' | 'application-services', name: string): boolean {
  return existsSync(join(root, kind, name, 'src/main.ts'));
}

/** The platform as the topology and the built services say, in the topology's order. */
export function platformOf(topology: Topology, root: string): Platform {
  const hostOf = (context: string): string => {
    const found = Object.entries(topology.dataServices).find(([, { contexts }]) =>
      contexts.includes(context),
    );
    if (found === undefined) throw new Error(`config/topology.ts: no data service hosts ${context}`);
    return found[0];
  };
  const dataNames = Object.keys(topology.dataServices).filter((name) => built(root, 'data-services', name));
  const appNames = Object.keys(topology.applicationServices).filter((name) =>
    built(root, 'application-services', name),
  );
  const linksHost = hostOf('links');
  const hasRedirect =
    dataNames.includes(linksHost) &&
    existsSync(join(root, 'data-services', linksHost, 'src/redirect-main.ts'));

  const dataServices = dataNames.map((name) => {
    const hosted = new Set(topology.dataServices[name]!.contexts);
    const callers = appNames.filter((app) =>
      topology.applicationServices[app]!.calls.some((context) => hosted.has(context)),
    );
    return {
      name,
      tier: 'data-service' as const,
      callers: [...callers, ...(hasRedirect && hosted.has('links') ? [LINK_REDIRECT] : [])],
    };
  });
  const applicationServices = appNames.map((name) => ({
    name,
    tier: 'application-service' as const,
    // The token issuer's JWKS is read by every service that verifies tokens, besides the gateway.
    callers: [GATEWAY, ...(name === TOKEN_ISSUER ? appNames.filter((other) => other !== name) : [])],
  }));
  return {
    dataServices,
    applicationServices,
    gateway: { name: GATEWAY, tier: 'gateway', callers: [] },
    linkRedirect: hasRedirect ? { name: LINK_REDIRECT, tier: 'link-redirect', callers: [] } : undefined,
    paymentSimulator: {
      name: PAYMENT_SIMULATOR,
      tier: 'payment-simulator',
      callers: [hostOf('ordering')],
    },
    hostOf,
    consumers: (service) => topology.applicationServices[service]?.consumes ?? {},
  };
}

/** Every service deployed in every overlay (the payment simulator is dev's alone). */
export function deployedServices(platform: Platform): PlatformService[] {
  return [
    ...platform.dataServices,
    ...platform.applicationServices,
    platform.gateway,
    ...(platform.linkRedirect === undefined ? [] : [platform.linkRedirect]),
  ];
}

/** The services with a main.ts on disk, whatever the topology says: the tests compare both. */
export function servicesWithMain(root: string): string[] {
  return (['data-services', 'application-services'] as const).flatMap((kind) =>
    readdirSync(join(root, kind)).filter((name) => built(root, kind, name)),
  );
}
