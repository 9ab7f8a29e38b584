import { contractElements } from '@strata/shared-kernel';
import { TOPOLOGY_FILE, type DocumentedContext, type Platform } from './load-platform.ts';

export type ServiceKind = 'data service' | 'application service';

export interface Consumer {
  readonly service: string;
  readonly kind: ServiceKind;
}

export interface EventRecord {
  readonly context: string;
  readonly aggregate: string;
  readonly type: string;
  readonly version: number;
  /** Set for an event its producer ships on a topic of its own instead of through an outbox. */
  readonly topicSuffix?: string;
}

/**
 * The topology read against the code: what the pages say about who hosts, calls and consumes what.
 * Contexts the topology names but the code lacks yet (planned ones) are left out.
 */
export interface PlatformMap {
  readonly contexts: readonly DocumentedContext[];
  readonly hostOf: ReadonlyMap<string, string>;
  /** Data services hosting at least one built context, in topology order, with those contexts. */
  readonly dataServices: ReadonlyMap<string, readonly string[]>;
  /** Application services calling at least one built context, with those contexts. */
  readonly applicationServices: ReadonlyMap<string, readonly string[]>;
  readonly events: readonly EventRecord[];
  /** By `context.EventType`. */
  readonly consumersOf: ReadonlyMap<string, readonly Consumer[]>;
}

export function platformMap(platform: Platform): PlatformMap {
  const built = new Map(platform.contexts.map((context) => [context.name, context]));
  const hostOf = new Map<string, string>();
  const dataServices = new Map<string, string[]>();
  for (const [service, { contexts }] of Object.entries(platform.topology.dataServices)) {
    const hosted = contexts.filter((context) => built.has(context));
    for (const context of hosted) hostOf.set(context, service);
    if (hosted.length > 0) dataServices.set(service, hosted);
  }
  const applicationServices = new Map<string, string[]>();
  for (const [service, { calls }] of Object.entries(platform.topology.applicationServices)) {
    const called = calls.filter((context) => built.has(context));
    if (called.length > 0) applicationServices.set(service, called);
  }
  const events: EventRecord[] = platform.contexts.flatMap((context) =>
    contractElements(context.contract)
      .filter((element) => element.kind === 'event')
      .map((element) => ({
        context: context.name,
        aggregate: element.aggregate,
        type: element.ref,
        version: element.version ?? 1,
        ...(element.topicSuffix !== undefined ? { topicSuffix: element.topicSuffix } : {}),
      })),
  );
  const known = new Set(events.map((event) => `${event.context}.${event.type}`));
  const consumersOf = new Map<string, Consumer[]>();
  const serviceKinds: [Record<string, { consumes: Record<string, string[]> }>, ServiceKind][] = [
    [platform.topology.dataServices, 'data service'],
    [platform.topology.applicationServices, 'application service'],
  ];
  for (const [services, kind] of serviceKinds) {
    for (const [service, { consumes }] of Object.entries(services)) {
      for (const [context, types] of Object.entries(consumes)) {
        for (const type of types) {
          const key = `${context}.${type}`;
          if (!known.has(key)) continue;
          consumersOf.set(key, [...(consumersOf.get(key) ?? []), { service, kind }]);
        }
      }
    }
  }
  return { contexts: platform.contexts, hostOf, dataServices, applicationServices, events, consumersOf };
}

/** Where the topology and the code disagree, each named so it can be fixed in one place. */
export function checkTopology(platform: Platform): string[] {
  const problems: string[] = [];
  const hosted = new Set(
    Object.values(platform.topology.dataServices).flatMap((service) => service.contexts),
  );
  const eventsOf = new Map(
    platform.contexts.map((context) => [
      context.name,
      new Set(
        contractElements(context.contract)
          .filter((element) => element.kind === 'event')
          .map((element) => element.ref),
      ),
    ]),
  );
  for (const context of platform.contexts) {
    if (!hosted.has(context.name)) {
      problems.push(
        `topology: context ${context.name} (${context.dir}) is hosted by no data service; add it to one in ${TOPOLOGY_FILE}`,
      );
    }
  }
  const allServices: Record<string, { consumes: Record<string, string[]> }>[] = [
    platform.topology.dataServices,
    platform.topology.applicationServices,
  ];
  for (const services of allServices) {
    for (const [service, { consumes }] of Object.entries(services)) {
      for (const [context, types] of Object.entries(consumes)) {
        const declared = eventsOf.get(context);
        // A planned context has no contract yet to check against.
        if (declared === undefined) continue;
        for (const type of types) {
          if (!declared.has(type)) {
            problems.push(
              `topology: ${service} consumes ${context}.${type}, which the ${context} contract does not declare; fix ${TOPOLOGY_FILE}`,
            );
          }
        }
      }
    }
  }
  return problems;
}
